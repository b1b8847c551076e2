"""Models written out from their papers for the tests' independent SciPy solves
(docs/science.md §1): nothing of neurodyn is imported. I may be a number or a function of t."""
import numpy as np

# Hodgkin & Huxley (1952), modern convention: the rest state at I = 0
HH_INIT = [-64.9964, 0.052955, 0.595994, 0.317732]
# Wang & Buzsaki (1996): the rest state at I = 0
WB_INIT = [-64.0176, 0.780792, 0.089078]


def _current(I, t):
    return I(t) if callable(I) else I


def hh(t, y, I, gK=36.0, gNa=120.0):
    V, m, h, n = y
    am = 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10))
    bm = 4 * np.exp(-(V + 65) / 18)
    ah = 0.07 * np.exp(-(V + 65) / 20)
    bh = 1 / (1 + np.exp(-(V + 35) / 10))
    an = 0.01 * (V + 55) / (1 - np.exp(-(V + 55) / 10))
    bn = 0.125 * np.exp(-(V + 65) / 80)
    INa = gNa * m**3 * h * (V - 50)
    IK = gK * n**4 * (V + 77)
    IL = 0.3 * (V + 54.387)
    return [_current(I, t) - INa - IK - IL, am * (1 - m) - bm * m, ah * (1 - h) - bh * h,
            an * (1 - n) - bn * n]


def wb(t, y, I, gNa=35.0, gK=9.0, gL=0.1, EL=-65.0):
    V, h, n = y
    am = 0.1 * (V + 35) / (1 - np.exp(-(V + 35) / 10))
    bm = 4 * np.exp(-(V + 60) / 18)
    ah = 0.07 * np.exp(-(V + 58) / 20)
    bh = 1 / (1 + np.exp(-(V + 28) / 10))
    an = 0.01 * (V + 34) / (1 - np.exp(-(V + 34) / 10))
    bn = 0.125 * np.exp(-(V + 44) / 80)
    m = am / (am + bm)
    dV = _current(I, t) - gNa * m**3 * h * (V - 55) - gK * n**4 * (V + 90) - gL * (V - EL)
    return [dV, 5 * (ah * (1 - h) - bh * h), 5 * (an * (1 - n) - bn * n)]
