#!/usr/bin/env python3
"""Regenerates the Unicode tables under src/main/resources/dev/spotlight/tokenizers/unicode/.

Hugging Face tokenizers does not use one Unicode version: its normalization forms come from the
crate unicode-normalization-alignments (Unicode 9.0 tables), its BERT character classes from the
crate unicode_categories 0.1.1 as published (an old UnicodeData.txt, where ranges given as
First/Last pairs kept only their two end points, except private use which the crate lists as ranges;
its source is in Debian's librust-unicode-categories-dev, /usr/share/cargo/registry/), and UnicodeScripts from its own scripts.rs. The JDK's tables are
Unicode 16, so to match the Rust library char for char we ship the same data, extracted from
those crates' source (GitHub n1t0/unicode-normalization and huggingface/tokenizers, Debian's
librust-unicode-categories-dev). Rust's own char tables come from scripts/rust_std_unicode.mjs.

  make_unicode_tables.py UNORM_TABLES_RS UCAT_TABLES_RS HF_SCRIPTS_RS OUT_DIR
"""
import re
import sys


def ranges(cps):
    cps = sorted(set(cps))
    out = []
    for cp in cps:
        if out and out[-1][1] + 1 == cp:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def hexs(cps):
    return " ".join("%X" % c for c in cps)


def normalization(src, out):
    with open(out, "w") as f:
        f.write("# Unicode 9.0 normalization data of unicode-normalization-alignments; see scripts/make_unicode_tables.py\n")
        ccc = re.search(r"CANONICAL_COMBINING_CLASS_KV: &\[u32\] = &\[(.*?)\];", src, re.S).group(1)
        for v in sorted(int(x, 16) for x in re.findall(r"0x([0-9A-Fa-f]+)", ccc)):
            f.write("c %X %d\n" % (v >> 8, v & 0xFF))
        for tag, name in (("d", "CANONICAL_DECOMPOSED_KV"), ("k", "COMPATIBILITY_DECOMPOSED_KV")):
            body = re.search(name + r": &\[\(u32, &'static \[char\]\)\] = &\[(.*?)\n\];", src, re.S).group(1)
            entries = re.findall(r"\(0x([0-9a-fA-F]+), &\[(.*?)\]\)", body)
            for key, chars in sorted(entries, key=lambda e: int(e[0], 16)):
                seq = [int(x, 16) for x in re.findall(r"\\u\{([0-9A-Fa-f]+)\}", chars)]
                f.write("%s %X %s\n" % (tag, int(key, 16), hexs(seq)))
        comp = re.search(r"COMPOSITION_TABLE_KV: &\[\(u32, char\)\] = &\[(.*?)\];", src, re.S).group(1)
        for key, r in sorted(re.findall(r"\(0x([0-9A-Fa-f]+), '\\u\{([0-9A-Fa-f]+)\}'\)", comp), key=lambda e: int(e[0], 16)):
            k = int(key, 16)
            f.write("p %X %X %X\n" % (k >> 16, k & 0xFFFF, int(r, 16)))
        astral = re.search(r"fn composition_table_astral.*?\n}", src, re.S).group(0)
        for a, b, r in re.findall(r"\('\\u\{([0-9A-F]+)\}', '\\u\{([0-9A-F]+)\}'\) => Some\('\\u\{([0-9A-F]+)\}'\)", astral):
            f.write("p %s %s %s\n" % (a, b, r))
        marks = re.search(r"COMBINING_MARK_KV: &\[u32\] = &\[(.*?)\];", src, re.S).group(1)
        for a, b in ranges(int(x, 16) for x in re.findall(r"0x([0-9A-Fa-f]+)", marks)):
            f.write("m %X %X\n" % (a, b))


def categories(src, out):
    tables = {}
    for m in re.finditer(r"pub static (\w+) : &'static \[char\] = &\[(.*?)\];", src, re.S):
        tables[m.group(1)] = [int(x, 16) for x in re.findall(r"\\u\{([0-9A-F]+)\}", m.group(2))]
    groups = {
        "Mn": ["MARK_NONSPACING"],
        "C": ["OTHER_CONTROL", "OTHER_FORMAT", "OTHER_PRIVATE_USE"],
        "P": [k for k in tables if k.startswith("PUNCTUATION_")],
    }
    with open(out, "w") as f:
        f.write("# unicode_categories 0.1.1 tables (First/Last ranges reduced to end points, private use whole); see scripts/make_unicode_tables.py\n")
        for tag, names in groups.items():
            cps = [cp for n in names for cp in tables[n]]
            if tag == "C":  # is_other_private_use matches the three private-use ranges explicitly
                cps += list(range(0xE000, 0xF900)) + list(range(0xF0000, 0xFFFFE)) + list(range(0x100000, 0x10FFFE))
            for a, b in ranges(cps):
                f.write("%s %X %X\n" % (tag, a, b))


def scripts(src, out):
    body = re.search(r"pub fn get_script\(c: char\) -> Script \{(.*?)\n}", src, re.S).group(1)
    with open(out, "w") as f:
        f.write("# tokenizers' own scripts.rs table (unlisted code points are Any); see scripts/make_unicode_tables.py\n")
        rows = []
        for a, b, name in re.findall(r"0x([0-9A-F]+)(?:\.\.=0x([0-9A-F]+))? => Script::(\w+)", body):
            rows.append((int(a, 16), int(b or a, 16), name))
        rows.sort()
        merged = []
        for a, b, name in rows:
            if merged and merged[-1][2] == name and merged[-1][1] + 1 == a:
                merged[-1][1] = b
            else:
                merged.append([a, b, name])
        for a, b, name in merged:
            f.write("%X %X %s\n" % (a, b, name))


if __name__ == "__main__":
    unorm, ucat, hfscripts, outdir = sys.argv[1:5]
    normalization(open(unorm).read(), outdir + "/normalization9.txt")
    categories(open(ucat).read(), outdir + "/unicode-categories.txt")
    scripts(open(hfscripts).read(), outdir + "/scripts.txt")
