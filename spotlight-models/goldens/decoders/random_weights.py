"""The deterministic pseudo-random weights of the decoder goldens.

Defined here once, and implemented a second time, bit for bit, by the Java test utility
spotlight-models/src/test/java/dev/spotlight/models/decoder/RandomCheckpoint.java. The goldens
record per tensor a checksum of the stored values, so a Java test proves the two agree.

Element i (0-based, row-major) of tensor NAME in a model with seed SEED:
  stream seed  s   = FNV-1a 64(UTF-8 bytes of NAME) XOR SEED
  splitmix64   z_i = mix(s + (i + 1) * 0x9E3779B97F4A7C15 mod 2^64)
               mix(x) = x ^= x >> 30; x *= 0xBF58476D1CE4E5B9; x ^= x >> 27; x *= 0x94D049BB133111EB; x ^= x >> 31
  uniform      u_i = (z_i >> 40) * 2^-24 * 2 - 1          (exact in float64, in [-1, 1))
  value        v_i = float32(offset + scale * u_i)        (float64 arithmetic, one round-to-nearest-even)
  stored       F32: v_i; BF16: v_i rounded to nearest even on its bits; F16: numpy float16 (nearest even)

offset and scale depend on the tensor's role (see init_for) and are written into each golden, so
the Java side never re-derives them.
"""

import math

import numpy as np

GOLDEN_GAMMA = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = (1 << 64) - 1


def fnv1a64(data: bytes) -> int:
    h = FNV_OFFSET
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & MASK64
    return h


def splitmix64(seed: int, count: int) -> np.ndarray:
    """The first `count` outputs of splitmix64 started at `seed`, as uint64 (numpy wraps mod 2^64)."""
    with np.errstate(over="ignore"):
        x = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(GOLDEN_GAMMA)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(MIX1)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(MIX2)
        return x ^ (x >> np.uint64(31))


def uniforms(seed: int, count: int) -> np.ndarray:
    """Float64 uniforms in [-1, 1) from the top 24 bits of each output: exact, no rounding."""
    return (splitmix64(seed, count) >> np.uint64(40)).astype(np.float64) * 2.0 ** -24 * 2.0 - 1.0


def to_bfloat16_bits(values32: np.ndarray) -> np.ndarray:
    """float32 -> bf16 bits, round to nearest even on the bit pattern (no NaN occurs here)."""
    bits = values32.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + np.uint64(0x7FFF) + ((bits >> np.uint64(16)) & np.uint64(1))) >> np.uint64(16)
    return rounded.astype(np.uint16)


def stored_values(name: str, model_seed: int, shape, offset: float, scale: float, dtype: str):
    """(little-endian bytes as stored, the stored values widened exactly to float64)."""
    count = int(np.prod(shape, dtype=np.int64))
    v32 = (offset + scale * uniforms(fnv1a64(name.encode("utf-8")) ^ model_seed, count)).astype(np.float32)
    if dtype == "F32":
        return v32.astype("<f4").tobytes(), v32.astype(np.float64).reshape(shape)
    if dtype == "BF16":
        bits = to_bfloat16_bits(v32)
        widened = (bits.astype(np.uint32) << np.uint32(16)).view(np.float32)
        return bits.astype("<u2").tobytes(), widened.astype(np.float64).reshape(shape)
    if dtype == "F16":
        v16 = v32.astype(np.float16)  # numpy rounds float32 -> float16 to nearest even, subnormals included
        return v16.astype("<f2").tobytes(), v16.astype(np.float64).reshape(shape)
    raise ValueError(f"dtype {dtype!r}, expected F32, BF16 or F16")


def init_for(role: str, fan_in: int = 0):
    """(offset, scale) of a tensor's role; the value is offset + scale * u with u uniform in [-1, 1)."""
    # Matrices get a gain of about 1.44 (std 2.5 / sqrt(3 * fan_in)) and embeddings are small, so the
    # layers outweigh the embedding in the residual stream: with tied embeddings and a weaker init the
    # logits of a random model peak at the input token and greedy runs only repeat it.
    if role == "matrix":       # nn.Linear [out, in] or GPT-2 Conv1D [in, out]; fan_in = the in size
        return 0.0, 2.5 / math.sqrt(fan_in)
    if role == "embedding":    # token and position tables
        return 0.0, 0.25
    if role == "norm":         # RMSNorm / LayerNorm / q_norm / k_norm weights: near 1, not exactly 1
        return 1.0, 0.1
    if role == "bias":         # large enough that a bias left out moves the logits far beyond 1e-4
        return 0.0, 0.1
    raise ValueError(role)


def checksum(stored_bytes: bytes, widened: np.ndarray) -> dict:
    """Sequential float64 sum (element order), the first 4 stored values, FNV-1a 64 of the bytes."""
    total = 0.0
    for v in widened.reshape(-1).tolist():
        total += v
    return {
        "sum": total,
        "first": widened.reshape(-1)[:4].tolist(),
        "fnv1a64": format(fnv1a64(stored_bytes), "016x"),
    }


def self_test():
    """Published constants: splitmix64(0) and FNV-1a 64 test vectors; bf16 ties to even."""
    assert fnv1a64(b"") == 0xCBF29CE484222325
    assert fnv1a64(b"a") == 0xAF63DC4C8601EC8C
    assert int(splitmix64(0, 1)[0]) == 0xE220A8397B1DCDAF
    ties = np.array([1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8], dtype=np.float32)  # halfway cases
    assert to_bfloat16_bits(ties).tolist() == [0x3F80, 0x3F82]
