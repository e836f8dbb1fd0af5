#!/usr/bin/python3
"""Regenerates chat_goldens.json: what Python's jinja2 renders, configured exactly as transformers'
apply_chat_template configures it, for every real chat template in templates.json and every feature
snippet below, over a set of conversations.

Run with Debian's interpreter, which has python3-jinja2 3.1.2 (apt-get install -y python3-jinja2):

    /usr/bin/python3 generate_chat_goldens.py

The environment is transformers' `_compile_jinja_template` (src/transformers/utils/chat_template_utils.py):
an ImmutableSandboxedEnvironment with trim_blocks and lstrip_blocks, the loopcontrols extension and a
`{% generation %}` block that renders its body unchanged, `tojson` replaced by json.dumps with
ensure_ascii=False (and its indent / separators / sort_keys options), and the globals raise_exception and
strftime_now. transformers renders with messages, tools, documents and add_generation_prompt plus the
tokenizer's special tokens (`{**self.special_tokens_map, **kwargs}`); every case records that whole context.
strftime_now reads a fixed clock (NOW below) so the goldens do not change with the day they are made.

A case whose render raises records the exception: raise_exception's TemplateError with its message (the
Java renderer must fail with the same message), any other error by its class only (the Java renderer must
fail too; never render a prompt Python refuses).
"""
import datetime
import hashlib
import json
import os
import sys
import warnings

import jinja2
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
warnings.filterwarnings("ignore", category=SyntaxWarning)  # Python's own warnings on fuzzed templates' generated code
NOW = datetime.datetime(2024, 3, 9, 14, 5, 7)


class GenerationBlock(Extension):
    """transformers' AssistantTracker parses `{% generation %}…{% endgeneration %}`; rendered text is the body."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_body"), [], [], body).set_lineno(lineno)

    def _body(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return NOW.strftime(format)


ENV = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                    extensions=[GenerationBlock, jinja2.ext.loopcontrols])
ENV.filters["tojson"] = tojson
ENV.globals["raise_exception"] = raise_exception
ENV.globals["strftime_now"] = strftime_now

# ---------------------------------------------------------------------------------------------- messages
SYSTEM = {"role": "system", "content": "You are a friendly chatbot who always responds in the style of a pirate"}
USER = {"role": "user", "content": "Hello, how are you?"}
ASSISTANT = {"role": "assistant", "content": "I'm doing great. How can I help you today?"}
USER2 = {"role": "user", "content": "I'd like to show off how chat templating works!"}
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_current_weather",
        "description": "Get the current weather in a given location",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "The city and country, e.g. Paris, France"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location"],
        },
    },
}
TIME_TOOL = {"type": "function", "function": {"name": "get_time", "description": "Current time – ISO 8601 «UTC»",
                                              "parameters": {"type": "object", "properties": {}}}}
TOOL_CALL = {"id": "call12345", "type": "function",
             "function": {"name": "get_current_weather", "arguments": {"location": "Paris, France", "unit": "celsius"}}}
TOOL_CALL_TEXT = {"id": "call67890", "type": "function",
                  "function": {"name": "get_current_weather", "arguments": "{\"location\": \"Oslo, Norway\"}"}}

CONVERSATIONS = {
    "user": [USER],
    "system_user": [SYSTEM, USER],
    "multi_turn": [USER, ASSISTANT, USER2],
    "system_multi_turn": [SYSTEM, USER, ASSISTANT, USER2],
    "ends_with_assistant": [SYSTEM, USER, ASSISTANT],
    "padded_content": [{"role": "user", "content": "  \n padded\tquestion \n"},
                       {"role": "assistant", "content": "   I am an assistant   "},
                       {"role": "user", "content": "Another question\n\n"}],
    "empty_content": [{"role": "system", "content": ""}, {"role": "user", "content": ""},
                      {"role": "assistant", "content": ""}, {"role": "user", "content": "?"}],
    "unicode": [{"role": "user", "content": "Grüß dich — 你好 🙂 «quotes» \"double\" 'single' back\\slash"},
                {"role": "assistant", "content": "¡Hola! ✓ ñ ü ß Ω 😀"},
                {"role": "user", "content": "{{ not a template }} {% neither %} {# nor #}\n\tline two\r\nline three"}],
    "roles_not_alternating": [USER, USER2],
    "starts_with_assistant": [ASSISTANT, USER],
    "multi_part_content": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": " What is in this image? "}]},
                           {"role": "assistant", "content": [{"type": "text", "text": "A cat."}]},
                           {"role": "user", "content": [{"type": "text", "text": "And its colour?"}]}],
    "thinking": [USER, {"role": "assistant", "content": "<think>\nThe user greets me.\n</think>\n\nAhoy! I be fine."},
                 USER2],
    "reasoning_content": [USER, {"role": "assistant", "content": "Fine.", "reasoning_content": "Greeting; answer briefly."},
                          USER2],
}
TOOL_CONVERSATIONS = {
    "tools_user": ([{"role": "user", "content": "What's the weather like in Paris?"}], [WEATHER_TOOL, TIME_TOOL]),
    "tools_system_user": ([SYSTEM, {"role": "user", "content": "What's the weather like in Paris?"}], [WEATHER_TOOL]),
    "tool_call_round": ([{"role": "user", "content": "What's the weather like in Paris?"},
                         {"role": "assistant", "content": "", "tool_calls": [TOOL_CALL]},
                         {"role": "tool", "tool_call_id": "call12345", "name": "get_current_weather",
                          "content": "{\"temperature\": 22, \"unit\": \"celsius\"}"},
                         {"role": "assistant", "content": "It is 22 °C in Paris."},
                         {"role": "user", "content": "Thanks!"}], [WEATHER_TOOL]),
    "tool_call_no_content": ([{"role": "user", "content": "Weather in Oslo?"},
                              {"role": "assistant", "content": None, "tool_calls": [TOOL_CALL_TEXT]},
                              {"role": "tool", "tool_call_id": "call67890", "content": "sunny"}], [WEATHER_TOOL]),
    "two_tool_calls": ([{"role": "user", "content": "Weather in Paris and Oslo?"},
                        {"role": "assistant", "content": "", "tool_calls": [TOOL_CALL, TOOL_CALL_TEXT]},
                        {"role": "tool", "tool_call_id": "call12345", "content": "22"},
                        {"role": "tool", "tool_call_id": "call67890", "content": "17"}], [WEATHER_TOOL]),
}
TOOL_TEMPLATES = {"llama3_2_instruct", "mistral_nemo_instruct_2407", "qwen2_5_instruct", "qwen3",
                  "deepseek_r1_distill_llama"}
# template-specific keyword arguments transformers forwards to the template (apply_chat_template **kwargs)
EXTRA_KWARGS = {
    "qwen3": [{"enable_thinking": False}, {"enable_thinking": True}],
    "llama3_2_instruct": [{"date_string": "26 Jul 2024"}, {"tools_in_user_message": False}],
}


def render(template, context):
    try:
        return {"output": ENV.from_string(template).render(**context)}
    except jinja2.exceptions.TemplateError as e:
        if type(e) is jinja2.exceptions.TemplateError:  # raise_exception
            return {"error": "TemplateError", "message": str(e)}
        return {"error": type(e).__name__}
    except Exception as e:  # TypeError, KeyError …: the template cannot handle this input
        return {"error": type(e).__name__}


def context(special_tokens, messages, add_generation_prompt, tools=None, extra=None):
    c = dict(special_tokens)
    c.update(messages=messages, tools=tools, documents=None, add_generation_prompt=add_generation_prompt)
    c.update(extra or {})
    return c


def real_template_cases(templates):
    cases = []
    for name, t in templates.items():
        runs = [(conv, msgs, None) for conv, msgs in CONVERSATIONS.items()]
        if name in TOOL_TEMPLATES:
            runs += [(conv, msgs, tools) for conv, (msgs, tools) in TOOL_CONVERSATIONS.items()]
        for conv, msgs, tools in runs:
            for agp in (False, True):
                for extra in [None] + EXTRA_KWARGS.get(name, []):
                    ctx = context(t["special_tokens"], msgs, agp, tools, extra)
                    cases.append({"template": name, "conversation": conv, "context": ctx, **render(t["template"], ctx)})
    return cases


# Feature snippets: each proves one piece of Jinja the renderer implements, over FEATURE_CONTEXT.
FEATURE_CONTEXT = {
    "messages": [SYSTEM, USER, ASSISTANT, USER2], "tools": [WEATHER_TOOL], "documents": None,
    "add_generation_prompt": True, "bos_token": "<s>", "eos_token": "</s>",
    "n": 7, "x": 2.5, "big": 12345678901234, "neg": -3, "s": "  Hello, World  ", "empty": "", "nothing": None,
    "items": ["b", "a", "c"], "nums": [3, 1, 2], "d": {"b": 1, "a": [1, 2], "c": {"k": "v"}},
    "flag": True, "off": False, "floats": [0.1, 1.0, 1e16, 1.5e-7, 100.0, 2.0 / 3, -0.0, 123456789.125],
}
FEATURES = {
    # whitespace: trim_blocks, lstrip_blocks, -, +, comments
    "trim_blocks": "{% if flag %}\nyes\n{% endif %}\nafter\n",
    "lstrip_blocks": "start\n    {% if flag %}\n    indented\n    {% endif %}\n  {# comment #}\nend",
    "lstrip_not_for_expressions": "a\n    {{ n }}\n    {%- if flag %} b {% endif %}\n",
    "minus_strips_both_sides": "a  \n\n  {%- if flag -%}  \n\n  b  \n  {%- endif -%}\n\n  c",
    "plus_keeps_whitespace": "a\n    {%+ if flag %}b{% endif +%}\nc\n  {#+ keep #}d",
    "expression_minus": "[  {{- s -}}  ]\n[ {{ s }} ]",
    "comment_minus": "x   {#- gone -#}   y\n{# trimmed #}\nz",
    "trailing_newline_dropped": "last line\n",
    "crlf_source": "a\r\n{% if flag %}\r\nb\r\n{% endif %}\r\nc\r\n",
    "raw_block": "{% raw %}{{ not evaluated }} {% if %}{% endraw %}|{%- raw -%}  x  {%- endraw %}",
    # literals and printing
    "print_values": "{{ nothing }}|{{ flag }}|{{ off }}|{{ n }}|{{ x }}|{{ big }}|{{ neg }}|{{ undefined_name }}|{{ items }}|{{ d }}",
    "print_floats": "{% for f in floats %}{{ f }},{% endfor %}{{ 1 / 3 }},{{ 10 / 2 }},{{ 2 ** 10 }},{{ 2 ** -1 }},{{ 7 // 2 }},{{ -7 // 2 }},{{ -7 % 3 }},{{ 7.5 % 2 }}",
    "string_escapes": "{{ 'a\\tb\\\\c\\'d\\\"e' }}|{{ \"\\u00e9\\x41\\n\" }}|{{ '\\q' }}|{{ 'multi\nline' }}|{{ 'x' 'y' }}",
    "literals": "{{ [1, 'a', none, true, 1.5] }}|{{ {'k': 1, 'j': [2]} }}|{{ (1, 2) }}|{{ (1,) }}|{{ () }}|{{ True }}{{ None }}{{ False }}",
    "repr_quotes": "{{ [\"it's\", 'say \"hi\"', 'both \\' \"', 'back\\\\slash', 'tab\\tnl\\n', 'é中🙂'] }}",
    # operators
    "arithmetic": "{{ n + 1 }} {{ n - 10 }} {{ n * 3 }} {{ n / 2 }} {{ n // 2 }} {{ n % 4 }} {{ -n }} {{ +n }} {{ x * 2 }} {{ 'ab' * 3 }} {{ [1] + [2, 3] }} {{ 1 + 2 * 3 ** 2 }}",
    "concat": "{{ 'a' ~ n ~ nothing ~ flag ~ x }}|{{ 'p' + 'q' }}|{{ items ~ '' }}",
    "comparisons": "{{ 1 == 1.0 }} {{ 'a' != 'b' }} {{ n > 3 }} {{ n >= 7 }} {{ x < 3 }} {{ x <= 2 }} {{ 'a' < 'b' }} {{ [1, 2] == [1, 2] }} {{ d == {'b': 1, 'a': [1, 2], 'c': {'k': 'v'}} }} {{ true == 1 }} {{ nothing == none }}",
    "logic": "{{ flag and n }} {{ off or 'fallback' }} {{ not flag }} {{ empty or nothing }} {{ n and empty }} {{ not nothing }} {{ 0 or [] }}",
    "membership": "{{ 'a' in items }} {{ 'z' not in items }} {{ 'ell' in s }} {{ 'b' in d }} {{ 'x' in d }} {{ 1 in nums }} {{ not 'a' in items }}",
    "conditional_expression": "{{ 'yes' if flag else 'no' }}|{{ 'yes' if off else 'no' }}|{{ 'only' if off }}|{{ (n if n > 5 else 0) + 1 }}",
    "precedence": "{{ (1 + 2) ~ 3 }} {{ 'a' ~ 2 * 3 }} {{ -2 ** 2 }} {{ 2 ** 3 ** 2 }} {{ not 1 == 2 }} {{ 2 * 3 | string }} {{ -1 | abs }} {{ 10 - 2 - 3 }} {{ 2 * 3 % 4 }}",
    # access
    "attribute_and_item": "{{ messages[0].role }} {{ messages[0]['content'][:9] }} {{ d.a[1] }} {{ d['c'].k }} {{ d.missing }}|{{ messages[-1].content }} {{ items.0 }}",
    "slicing": "{{ items[1:] }} {{ items[:-1] }} {{ items[::-1] }} {{ items[::2] }} {{ s[2:7] }} {{ s[::-1] }} {{ items[5:] }} {{ items[-2] }} {{ nums[1:3] }}",
    "dict_methods": "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{{ d.keys() | list }}|{{ d.values() | list }}|{{ d.get('b') }}|{{ d.get('zz', 'dflt') }}|{{ d.get('zz') }}",
    "string_methods": "{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ 'xxhixx'.strip('x') }}|{{ s.upper() }}|{{ s.lower() }}|{{ 'hello world'.title() }}|{{ 'hELLO'.capitalize() }}|{{ s.strip().startswith('Hello') }}|{{ s.strip().endswith(('!', 'd')) }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b \\n'.split() }}|{{ 'a-b-c'.split('-', 1) }}|{{ 'a-b-c'.rsplit('-', 1) }}|{{ s.replace('l', 'L') }}|{{ s.find('o') }}|{{ s.count('l') }}|{{ '-'.join(items) }}|{{ 'abc'.startswith('b', 1) }}",
    # statements
    "if_elif_else": "{% for v in [1, 2, 3, 0] %}{% if v == 1 %}one{% elif v == 2 %}two{% elif v == 3 %}three{% else %}other{% endif %} {% endfor %}",
    "for_loop_variables": "{% for m in messages %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.length }}/{{ loop.first }}/{{ loop.last }}/{{ loop.previtem.role if loop.previtem is defined else '-' }}/{{ loop.nextitem.role if loop.nextitem is defined else '-' }}/{{ loop.cycle('x', 'y') }}\n{% endfor %}",
    "for_filter_and_else": "{% for m in messages if m.role != 'system' %}{{ loop.index }}:{{ m.role }},{{ loop.length }} {% endfor %}|{% for m in [] %}x{% else %}empty{% endfor %}|{% for k in d %}{{ k }}{% endfor %}|{% for c in 'abc' %}{{ c }}.{% endfor %}",
    "for_tuple_unpacking": "{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }},{% endfor %}{% for k, v in d | items %}{{ k }};{% endfor %}{% for i, m in [(1, 'x')] %}{{ i }}{{ m }}{% endfor %}",
    "nested_loops": "{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ loop.index }}{{ a }}{{ b }}{% endfor %}{{ loop.last }};{% endfor %}",
    "break_continue": "{% for v in range(10) %}{% if v == 2 %}{% continue %}{% endif %}{% if v == 5 %}{% break %}{% endif %}{{ v }}{% endfor %}",
    "set_scoping": "{% set a = 1 %}{% for v in [1, 2] %}{% set a = a + v %}{{ a }}{% endfor %}|{{ a }}|{% if flag %}{% set b = 'set in if' %}{% endif %}{{ b }}",
    "set_in_loop_persists_between_iterations": "{% for v in [1, 2, 3] %}{% if loop.first %}{% set seen = 'first' %}{% endif %}{{ seen }};{% endfor %}",
    "namespace": "{% set ns = namespace(count=0, found=false, last='') %}{% for m in messages %}{% set ns.count = ns.count + 1 %}{% if m.role == 'user' %}{% set ns.found = true %}{% set ns.last = m.content %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }} {{ ns.last }}|{% set ns2 = namespace() %}{% set ns2.x = 3 %}{{ ns2.x }}",
    "set_tuple_and_block": "{% set p, q = 1, 'two' %}{{ p }}{{ q }}|{% set block_var %}  captured {{ n }}\n{% endset %}[{{ block_var }}]",
    "macro": "{% macro tag(name, body='none', sep=': ') -%}\n<{{ name }}{{ sep }}{{ body }}>\n{%- endmacro %}{{ tag('a') }}{{ tag('b', 'x') }}{{ tag('c', sep='=', body=n) }}",
    "macro_caller_scope": "{% set outer = 'o' %}{% macro m(v) %}{{ v }}{{ outer }}{{ bos_token }}{% endmacro %}{% for i in [1, 2] %}{{ m(i) }}{% endfor %}",
    "generation_block": "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}[{{ m.role }}]{% endif %}{% endfor %}",
    "filter_block": "{% filter upper %}shout {{ s | trim }}{% endfilter %}",
    # tests
    "tests": "{{ n is defined }} {{ zz is defined }} {{ zz is undefined }} {{ nothing is none }} {{ s is string }} {{ n is number }} {{ x is number }} {{ n is integer }} {{ x is float }} {{ d is mapping }} {{ items is iterable }} {{ s is iterable }} {{ items is sequence }} {{ flag is boolean }} {{ flag is true }} {{ off is false }} {{ n is odd }} {{ n is even }} {{ 9 is divisibleby 3 }} {{ n is equalto 7 }} {{ n is eq 7 }} {{ n is ne 7 }} {{ n is gt 3 }} {{ n is lt 3 }} {{ n is ge 7 }} {{ n is le 6 }} {{ 'ab' is lower }} {{ 'AB' is upper }} {{ flag is sameas true }} {{ 'a' is in items }} {{ n is not string }} {{ d is not none }} {{ range is callable }}",
    # filters
    "filters_strings": "{{ s | trim }}|{{ 'xxhixx' | trim('x') }}|{{ s | upper }}|{{ s | lower }}|{{ 'hello world' | title }}|{{ 'hELLO' | capitalize }}|{{ s | replace('l', '1') }}|{{ s | replace('l', '1', 2) }}|{{ s | length }}|{{ 'ab' | list }}|{{ n | string }}|{{ '42' | int + 1 }}|{{ '4.5' | float }}|{{ 'x' | int }}|{{ 3.9 | int }}|{{ -4 | abs }}|{{ 2.675 | round(2) }}|{{ 2.5 | round }}|{{ 'a\\nb' | indent(2) }}|{{ 'a\\nb' | indent(2, first=true) }}|{{ 'hello' | reverse }}",
    "filters_sequences": "{{ items | join }}|{{ items | join(', ') }}|{{ messages | map(attribute='role') | join(',') }}|{{ items | first }}|{{ items | last }}|{{ items | length }}|{{ items | count }}|{{ nums | sort }}|{{ items | sort(reverse=true) }}|{{ nums | sum }}|{{ nums | max }}|{{ nums | min }}|{{ items | reverse | list }}|{{ [1, 2, 1, 3] | unique | list }}|{{ messages | map(attribute='content') | map('length') | list }}|{{ items | map('upper') | list }}|{{ [[1, 2], [3]] | map('length') | sum }}",
    "filters_select": "{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | list }}|{{ messages | rejectattr('role', 'equalto', 'user') | list | length }}|{{ messages | selectattr('role', 'eq', 'system') | list | length }}|{{ [0, 1, 2, 3] | select('odd') | list }}|{{ [0, 1, '', none, 'a'] | select | list }}|{{ [1, 2, 3] | reject('even') | list }}|{{ messages | selectattr('missing') | list }}|{{ messages | selectattr('role', 'in', ['user', 'system']) | list | length }}",
    "filters_default": "{{ zz | default('dflt') }}|{{ nothing | default('dflt') }}|{{ empty | default('dflt') }}|{{ empty | default('dflt', true) }}|{{ nothing | default('dflt', boolean=true) }}|{{ zz | d('short') }}|{{ n | default(0) }}",
    "filters_dicts": "{{ d | items | list }}|{{ d | dictsort }}|{{ d | length }}|{{ d | list }}|{{ {'b': 2, 'a': 1} | dictsort(reverse=true) }}|{{ d | tojson }}",
    "tojson_options": "{{ tools | tojson }}\n{{ tools | tojson(indent=2) }}\n{{ d | tojson(indent='\\t') }}\n{{ d | tojson(sort_keys=true) }}\n{{ d | tojson(separators=(',', ':')) }}\n{{ 'é \"q\" \\\\ \\n\\t\\u0001 \\u2028 </script>' | tojson }}\n{{ floats | tojson }}\n{{ [nothing, flag, off, n, [], {}] | tojson(indent=1) }}\n{{ 'x' | tojson(ensure_ascii=true) }}\n{{ 'é🙂' | tojson(ensure_ascii=true) }}",
    # globals
    "globals": "{{ range(3) | list }} {{ range(1, 7, 2) | list }} {{ range(5, 0, -2) | list }} {{ dict(a=1, b='x') }} {{ strftime_now('%Y-%m-%d %H:%M:%S %d %b %B %a %A %y %j %p %I %m %%') }} {{ namespace(a=1).a }}",
    "loop_over_string_and_dict_sorted": "{% for k in d | dictsort %}{{ k[0] }}{% endfor %}|{% for ch in 'héllo' %}{{ ch }}-{% endfor %}",
    # more whitespace control
    "lstrip_after_text_on_same_line": "a {% if flag %}b{% endif %} c\n\t  {% if flag %}d{% endif %}\n  x {{ n }}\n",
    "lstrip_at_template_start": "   {% if flag %}start{% endif %}",
    "nested_indentation": "{% for m in messages %}\n    {% if m.role == 'user' %}\n        U:{{ m.content }}\n    {% else %}\n        O:{{ m.role }}\n    {% endif %}\n{% endfor %}\nend\n",
    "minus_on_expressions_and_newlines": "x\n\n{{- n -}}\n\n{{ n }}\n{%- if flag %}\n\ny\n{% endif -%}\n\nz",
    "blank_lines_and_tabs": "\t{% set a = 1 %}\n\n\t{{ a }}\t\n  {#- c #}  tail",
    "trailing_newlines_two": "body\n\n",
    "delimiters_in_strings": "{{ '}}' }}|{{ \"{%\" }}|{{ {'a': {'b': 1}} }}|{% set x = {'k': '%}'} %}{{ x.k }}|{{ '{#' ~ '#}' }}",
    "comment_with_tags_inside": "a{# {{ x }} {% if %} #}b{#\nmulti\nline\n#}\nc",
    "raw_with_minus_and_newlines": "x\n  {% raw -%}\n   {{ y }}\n  {%- endraw %}\nz",
    # numbers and printing
    "float_repr_edges": "{% for f in [1e-5, 0.0001, 123456789012345678.0, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 1e17, 9999999999999998.0, 12345.678, 1e16, 1e15, 2.5e-5] %}{{ f }} {% endfor %}{% for f in [big * 1e300 * 1e300, -big * 1e300 * 1e300] %}{{ f }} {% endfor %}",
    "int_and_float_arithmetic": "{{ -7 / 2 }} {{ -7.5 // 2 }} {{ -7.5 % 2 }} {{ 7.5 % -2 }} {{ 2 ** 0.5 }} {{ 4 ** 0.5 }} {{ 10 // 3 * 3 + 10 % 3 }} {{ true + true }} {{ 3 * 0.1 }} {{ 1 - 0.9 }} {{ 9007199254740993 }}",
    "chained_comparisons": "{{ 1 < 2 < 3 }} {{ 1 < 3 > 2 }} {{ 3 > 2 > 2 }} {{ 1 == 1.0 == true }} {{ 'a' < 'b' <= 'b' }}",
    "not_in_forms": "{{ not 'a' in items }} {{ 'a' not in items }} {{ not 'z' not in items }} {{ 'q' not in d }}",
    "nested_conditional": "{{ 'a' if off else 'b' if nothing else 'c' }}|{{ ('x' if flag else 'y') ~ ('z' if off) }}",
    "repr_of_special_strings": "{{ ['\\x00\\x1f\\x7f', '\\u200b\\u00a0\\u2028', '\\U0001F600', \"'\", '\"'] }}",
    "string_indexing_by_code_point": "{{ 'a🙂b'[1] }}|{{ 'a🙂b' | length }}|{{ 'a🙂b'[::-1] }}|{{ 'a🙂b'[-1] }}|{{ 'héllo'[1:3] }}|{{ 'a🙂b🙂c'.find('b') }}|{{ 'a🙂b'.split('🙂') }}",
    "slices_out_of_range_and_negative": "{{ s[-100:100] }}|{{ s[5:1:-2] }}|{{ items[::-2] }}|{{ items[-1:-4:-1] }}|{{ items[10:-10:-1] }}|{{ items[1:1] }}|{{ nums[:] }}",
    "unicode_case": "{{ 'straße'.upper() }}|{{ 'ǅungla'.lower() }}|{{ 'İx'.lower() | length }}|{{ \"they're bill's\" | title }}|{{ \"they're bill's\".title() }}|{{ 'hello-world (x)' | title }}",
    "dict_literal_numeric_keys": "{{ {1: 'a', true: 'b', 1.0: 'c', 2: 'd'} }}|{{ {1: 'a'}[true] }}",
    # filters, more
    "filters_conversions": "{{ ' 12 ' | int }}|{{ '1_000' | int }}|{{ '0x1A' | int(base=16) }}|{{ '0x1A' | int(0, 0) }}|{{ '-7' | int }}|{{ '3.9' | int }}|{{ 'nan' | int(5) }}|{{ 1 | float }}|{{ 'a' | float }}|{{ ' 2.5e1 ' | float }}|{{ true | int }}|{{ none | int(9) }}",
    "filters_round": "{{ 3.7 | round(0, 'floor') }} {{ 3.14159 | round(3) }} {{ 2.5 | round(0, 'ceil') }} {{ 0.5 | round }} {{ 1.5 | round }} {{ -2.5 | round }} {{ 7 | round }} {{ 1234.5 | round(-2) }}",
    "filters_attributes": "{{ messages | map(attribute='missing', default='x') | list }}|{{ messages | sort(attribute='role') | map(attribute='content') | map('length') | list }}|{{ messages | sort(attribute='role,content', reverse=true) | map(attribute='role') | join(',') }}|{{ messages | join(', ', attribute='role') }}|{{ messages | max(attribute='content') | attr('role') }}|{{ nums | sum(start=10) }}|{{ [{'v': 2}, {'v': 5}] | sum(attribute='v') }}",
    "filters_case_insensitive": "{{ ['b', 'A', 'a', 'B'] | unique | list }}|{{ ['b', 'A', 'a', 'B'] | unique(true) | list }}|{{ ['b', 'A', 'c'] | sort }}|{{ ['b', 'A', 'c'] | sort(case_sensitive=true) }}|{{ ['b', 'A', 'c'] | max }}|{{ {'B': 1, 'a': 2} | dictsort }}|{{ {'b': 1, 'a': 2} | dictsort(by='value', reverse=true) }}",
    "filters_first_last_default": "{{ [] | first }}|{{ [] | last is defined }}|{{ 'abc' | first }}|{{ 'abc' | last }}|{{ d | first }}|{{ messages | selectattr('role', 'equalto', 'user') | first }}|{{ zz | default(none) }}|{{ (zz or 'x') }}",
    "filters_length_of_things": "{{ d | length }} {{ s | count }} {{ range(10) | length }} {{ zz | length }} {{ (1, 2) | length }} {{ d.items() | length }}",
    "generators_are_true_and_one_shot": "{% set g = [] | select %}{{ 'yes' if g else 'no' }}|{% set h = nums | map('string') %}{{ h | join }}|{{ h | join }}|{{ nums | reverse | list }}|{{ nums | reverse | join(',') }}",
    "select_with_tests": "{{ nums | select('gt', 1) | list }}|{{ nums | select('equalto', 2) | list }}|{{ [none, 0, 'x'] | reject('none') | list }}|{{ items | select('in', ['a', 'c']) | list }}|{{ messages | rejectattr('content', 'string') | list }}",
    "items_and_views": "{{ d.items() }}|{{ d.keys() }}|{{ d.values() }}|{{ 'a' in d.keys() }}|{{ range(3) }}|{{ range(0, 10, 3) }}|{{ d | items | list | first }}",
    "namespace_from_dict_and_repr": "{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}{{ ns['a'] }}|{% set ns.c = [1] %}{{ ns.c }}",
    "tojson_more": "{{ {'b': 1, 'a': {'z': [1, 2.5, none]}} | tojson(sort_keys=true, indent=2) }}\n{{ {1: 'a', 2.5: 'b', true: 'c', none: 'd'} | tojson }}\n{{ (0.1 + 0.2) | tojson }}\n{{ [1e-7, 1e16, -0.0] | tojson }}\n{{ 'tab\\there\\u0007\\u007f' | tojson }}\n{{ [] | tojson(indent=2) }}{{ {} | tojson(indent=2) }}\n{{ [[]] | tojson(indent=0) }}",
    "macro_defaults_see_earlier_parameters": "{% macro m(a, b=a ~ '!', c=none) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m('x') }}|{{ m('x', c=1) }}|{{ m() }}|{{ m(b='y', a='z') }}",
    "with_statement": "{% with a = 1, b = n %}{{ a + b }}{% set c = 5 %}{% endwith %}{{ c is defined }}",
    "loop_cycle_and_dict_unpack": "{% for k, v in d.items() %}{{ loop.index }}{{ loop.cycle('a', 'b', 'c') }}{{ k }}{% if not loop.last %},{% endif %}{% endfor %}",
    "set_block_with_filter": "{% set t | upper %}  hello {{ n }}  {% endset %}[{{ t }}]",
    "string_method_variants": "{{ 'a b  c'.split(None, 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}|{{ 'a,b,c'.split(',', maxsplit=1) }}|{{ 'xyx'.count('x') }}|{{ 'abc'.count('') }}|{{ 'hello'.find('l', 3) }}|{{ 'hello'.rfind('l') }}|{{ 'hello'.index('e') }}|{{ 'line1\\nline2\\r\\nline3'.splitlines() }}|{{ 'prefix-body'.removeprefix('prefix-') }}|{{ '  '.isspace() }}|{{ '12'.isdigit() }}|{{ 'Ab'.islower() }}|{{ 'abc'.endswith('bc', 0, 3) }}|{{ ', '.join(['a', 'b']) }}",
    "replace_edges": "{{ 'abc' | replace('', '-') }}|{{ 'aaa'.replace('a', 'b', 2) }}|{{ 'aaa' | replace('a', '') }}|{{ 'abc'.replace('', '.', 2) }}",
    # found by differential fuzzing against jinja2
    "unknown_filter_in_untaken_if_branch": "{% if false %}{{ x | no_such_filter }}{{ x is no_such_test }}{% endif %}{% if true %}{% if false %}{{ x | wordwrap }}{% endif %}{% endif %}{{ 1 if true else x | no_such_filter }}{% for i in [] %}{% if false %}{{ i | nope }}{% endif %}{% endfor %}{% with a = 1 if true else (x | nope) %}{{ a }}{% endwith %}ok",
    "comment_or_raw_opened_at_the_end": "text {#",
    "raw_opened_at_the_end": "text{% raw -%}   ",
    "round_integers_to_tens": "{{ 1234 | round(-2) }} {{ 1250 | round(-2) }} {{ 1350 | round(-2) }} {{ -1250 | round(-2) }} {{ 7 | round(1) }} {{ 1234.5678 | round(-1) }}",
    "items_of_non_mapping_is_a_lazy_error": "{% if 'abc' | items %}true generator{% endif %}",
    "strftime_more": "{{ strftime_now('%e|%F|%T|%u|%w|%n|%t|%Z|%z|%%') }}",
    "slices_take_none_and_bool_bounds": "[{{ items[none:2] }}][{{ items[true:] }}][{{ (1, 2, 3)[1:] }}][{{ s[:false] }}]",
    "slice_with_a_string_bound_fails": "{{ s['a':] }}",
    "slice_of_a_dict_fails": "{{ d[1:] }}",
    "slice_of_undefined_fails": "{{ zz[1:] }}",
    "strftime_unknown_conversions_are_copied": "{{ strftime_now('%q|%!|% |%J|%') }}",
    "float_power_overflow_fails": "{{ x ** 1000 }}",
    "duplicate_macro_parameter_fails": "{% macro m(a, a) %}{% endmacro %}",
    "replace_without_new_fails": "{{ 'abc' | replace('a') }}",
    "trim_with_non_string_chars_fails": "{{ 'abc' | trim([1]) }}",
    "repeated_keyword_argument_fails": "{{ dict(a=1, a=2) }}",
    "colon_before_block_end": "{% for v in [1, 2]: %}{% if v == 1: %}one{% elif v == 2: %}two{% else: %}x{% endif %}{% else: %}none{% endfor %}{% set b: %}B{% endset %}{{ b }}{% macro m(): %}M{% endmacro %}{{ m() }}",
    "dotted_names_in_untaken_branches": "{% if false %}{{ x | a.b }}{{ x is c.d }}{% endif %}ok",
    "map_and_select_of_nothing_prepare_nothing": "{{ [] | map | list }}{{ none | selectattr | list }}{{ '' | rejectattr | list }}ok",
    "dotted_filter_name_fails": "{{ x | a.b }}",
    "parenthesised_one_name_target_and_dict_forms": "{% for (ch,) in ['a', 'b'] %}{{ ch }}{% endfor %}|{{ dict([(1, 2), ['k', 'v'], 'xy']) }}|{{ dict({'a': 1}, b=2) }}|{{ dict(d) == d }}",
    "trailing_comma_before_in_fails": "{% for ch, in 'ab' %}{{ ch }}{% endfor %}",
    "trailing_comma_before_assign_fails": "{% set a, = 'x' %}{{ a }}",
    "dict_of_undefined_fails": "{{ dict(zz) }}",
    "dict_of_non_pairs_fails": "{{ dict([1]) }}",
    "unknown_filter_in_taken_if_branch_fails": "{% if true %}{{ x | no_such_filter }}{% endif %}",
    "unknown_filter_in_loop_inside_if_fails": "{% if false %}{% for i in [] %}{{ i | no_such_filter }}{% endfor %}{% endif %}",
    "unknown_filter_in_if_test_fails": "{% if n | no_such_filter %}{% endif %}",
    "int_of_undefined_fails": "{{ zz | int }}",
    "float_of_undefined_fails": "{{ zz | float }}",
    "sort_reverse_must_be_an_int": "{{ items | sort(reverse=zz) }}",
    # more errors
    "none_attribute_chain_fails": "{{ nothing.x.y }}",
    "list_plus_tuple_fails": "{{ [1, 2] + (3,) }}",
    "dict_ordering_fails": "{{ {'a': 1} < {'b': 2} }}",
    "empty_separator_fails": "{{ 'abc'.split('') }}",
    "unpack_non_iterable_fails": "{% for a, b in [1] %}{% endfor %}",
    "range_too_big_fails": "{{ range(200000) | list | length }}",
    "last_of_generator_fails": "{{ nums | select | last }}",
    "length_of_generator_fails": "{{ nums | select | length }}",
    "calling_undefined_fails": "{{ no_such_function() }}",
    "undefined_comparison_fails": "{{ zz < 1 }}",
    "macro_too_many_arguments_fails": "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}",
    "join_of_non_strings_method_fails": "{{ ','.join([1, 2]) }}",
    # templates jinja2 refuses to compile
    "syntax_if_without_test": "{% if %}x{% endif %}",
    "syntax_unclosed_block": "{% if flag %}never closed",
    "syntax_unmatched_end": "{% endfor %}",
    "syntax_empty_expression": "{{ }}",
    "syntax_unknown_filter": "{{ n | no_such_filter }}",
    "syntax_unknown_test": "{{ n is no_such_test }}",
    "syntax_unterminated_string": "{{ 'abc }}",
    "syntax_two_expressions": "{{ a b }}",
    "syntax_unknown_tag": "{% frobnicate %}",
    "syntax_assign_to_literal": "{% set 1 = 2 %}",
    "syntax_unbalanced_brackets": "{{ (1 + 2 }}",
    "syntax_break_outside_loop": "{% break %}",
    # errors a template may raise; the renderer must fail the same way
    "raise_exception": "{% if messages | length > 2 %}{{ raise_exception('Too many messages: ' ~ messages | length) }}{% endif %}never",
    "undefined_attribute_of_undefined_fails": "{{ zz.attr }}",
    "undefined_in_arithmetic_fails": "{{ zz + 1 }}",
    "string_plus_number_fails": "{{ 'a' + 1 }}",
    "plus_binds_looser_than_concat_fails": "{{ 1 + 2 ~ 3 }}",
    "mutating_method_is_refused": "{% set l = [1] %}{{ l.append(2) }}{{ l }}",
    "index_out_of_range_is_undefined": "[{{ items[10] }}]{{ items[10] is defined }}",
    "divide_by_zero_fails": "{{ 1 / 0 }}",
    "iterate_none_fails": "{% for x in nothing %}{{ x }}{% endfor %}",
    "assign_attribute_on_non_namespace_fails": "{% set d.x = 1 %}{{ d }}",
    "tojson_undefined_fails": "{{ zz | tojson }}",
}


def feature_cases():
    return [{"template": name, "conversation": "feature", "context": FEATURE_CONTEXT, **render(t, FEATURE_CONTEXT)}
            for name, t in FEATURES.items()]


# The stories260K fixture (../shared/models/stories260K/hf) with the Llama 2 chat template added, as the
# model-level and server tests set it up: the special tokens of its tokenizer_config.json.
STORIES_TOKENS = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<unk>"}
FIXTURE_CONVERSATIONS = {
    "system_user": [{"role": "system", "content": "You are a storyteller."},
                    {"role": "user", "content": "Tell me a story about a cat."}],
    "multi_turn": [{"role": "user", "content": "Once upon a time"}, {"role": "assistant", "content": "there was a dog."},
                   {"role": "user", "content": "What happened next?"}],
    "cli_system_user": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Lily went to the park"}],
}


def fixture_cases(templates):
    return [{"template": "llama2_chat", "conversation": name,
             "context": context(STORIES_TOKENS, msgs, True), **render(templates["llama2_chat"]["template"],
                                                                       context(STORIES_TOKENS, msgs, True))}
            for name, msgs in FIXTURE_CONVERSATIONS.items()]


# Differential fuzzing: FUZZ_COUNT templates made by mutating the corpus (pieces of Jinja inserted, text
# deleted and duplicated) with SplitMix64 from FUZZ_SEED, so the Java test makes the same mutants. Each
# result is "o" + the first 16 hex digits of the output's SHA-256, or "e" when jinja2 refused the template.
FUZZ_SEED = 20240309
FUZZ_COUNT = 4000
FUZZ_PIECES = ["{{", "}}", "{%", "%}", "{#", "#}", "-", "+", "(", ")", "[", "]", "{", "}", "'", '"', "|", ".", ",", ":", "~",
               "*", "**", "/", "//", "%", " is ", " not ", " in ", " if ", " else ", " and ", " or ", "loop", "ns",
               "messages", "0", "1.5", "-1", "\\", "\n", " ", "  ", "\t", "x", "n", "s", "d", "items", "nothing", "zz",
               "|length", "|tojson", "|tojson(indent=2)", "[::-1]", "[1:]", "[-1]", ".strip()", ".split()", "|join(',')",
               "|map('upper')|list", "|trim", "|string", " ~ ", " + ", " == ", " != ", "true", "none", "loop.index",
               "loop.last", "|first", "|last", "|list", "|items", "|dictsort", "|unique|list", "|sort", "|reverse|list",
               "|default('q')", " is defined", " is none", " is string"]
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def below(self, bound):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return (z ^ (z >> 31)) % bound


def mutate(text, rng):
    s = text  # Python strings index by code point, as the Java side does
    for _ in range(1 + rng.below(4)):
        at = rng.below(len(s) + 1)
        kind = rng.below(3)
        if kind == 0:
            s = s[:at] + FUZZ_PIECES[rng.below(len(FUZZ_PIECES))] + s[at:]
        elif kind == 1:
            s = s[:at] + s[at + 1 + rng.below(4):]
        else:
            start = rng.below(len(s) + 1)
            s = s[:at] + s[start:start + 1 + rng.below(12)] + s[at:]
    return s


def fuzz_cases(templates):
    contexts = {"feature": FEATURE_CONTEXT}
    sources = []
    for name, t in templates.items():
        conversation = "multi_turn" if name == "gemma2_it" else "system_multi_turn"
        key = name + "/" + conversation
        contexts[key] = context(t["special_tokens"], CONVERSATIONS[conversation], True)
        sources.append([name, key])
    sources += [[name, "feature"] for name in FEATURES]
    all_templates = {**{k: v["template"] for k, v in templates.items()}, **FEATURES}
    rng = SplitMix64(FUZZ_SEED)
    results = []
    for _ in range(FUZZ_COUNT):
        name, key = sources[rng.below(len(sources))]
        r = render(mutate(all_templates[name], rng), contexts[key])
        results.append("o" + hashlib.sha256(r["output"].encode("utf-8")).hexdigest()[:16] if "output" in r else "e")
    return {"seed": FUZZ_SEED, "pieces": FUZZ_PIECES, "sources": sources, "contexts": contexts, "results": results}


def main():
    with open(os.path.join(HERE, "templates.json"), encoding="utf-8") as f:
        templates = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    out = {
        "about": "Generated by generate_chat_goldens.py with Python " + sys.version.split()[0] + " and jinja2 "
                 + jinja2.__version__ + "; do not edit by hand.",
        "now": NOW.isoformat(),
        "templates": {**{k: v["template"] for k, v in templates.items()}, **FEATURES},
        "cases": real_template_cases(templates) + feature_cases(),
        "stories260K_llama2_chat": fixture_cases(templates),
        "fuzz": fuzz_cases(templates),
    }
    path = os.path.join(HERE, "chat_goldens.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    errors = sum(1 for c in out["cases"] if "error" in c)
    rendered = sum(1 for r in out["fuzz"]["results"] if r != "e")
    print(f"{path}: {len(out['cases'])} cases ({errors} errors), {len(out['templates'])} templates; "
          f"{FUZZ_COUNT} fuzzed templates ({rendered} rendered)")


if __name__ == "__main__":
    main()
