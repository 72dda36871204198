#!/usr/bin/env python3
# The tables of src/math/mod.rs, computed with 80 decimal digits; bits in hex.
# Usage: python3 scripts/math_tables.py
#
# exp: for j = 0..127, 2^(j/128) as the nearest double `s`, and (2^(j/128) - s) / s.
# ln: for j = 0..128 and c = 1 + j/128, the double nearest 1/c, ln(c) as a multiple of
# 2^-42 (so that e * LN2_HI + it is exact for any exponent e) and the double nearest the
# rest.
from decimal import Decimal, getcontext
import struct

getcontext().prec = 80
LN2 = Decimal(2).ln()
QUANTUM = Decimal(2) ** -42


def bits(x):
    return struct.unpack('<Q', struct.pack('<d', x))[0]


def hi_lo(v):
    """v as a multiple of 2^-42 and the double nearest the rest."""
    hi = float((v / QUANTUM).to_integral_value() * QUANTUM)
    return hi, float(v - Decimal(hi))


print("// exp: 2^(j/128) and its relative remainder")
for j in range(128):
    v = (Decimal(j) / 128 * LN2).exp()
    s = float(v)
    print(f"    (0x{bits(s):016x}, 0x{bits(float((v - Decimal(s)) / Decimal(s))):016x}),")
print("// ln: 1/(1 + j/128), ln(1 + j/128) high part and rest")
for j in range(129):
    c = 1 + Decimal(j) / 128
    hi, lo = hi_lo(c.ln())
    print(f"    (0x{bits(float(1 / c)):016x}, 0x{bits(hi):016x}, 0x{bits(lo):016x}),")
hi, lo = hi_lo(LN2)
print(f"// LN2_HI = {hi!r}, LN2_LO = {lo!r}")
