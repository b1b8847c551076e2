/* The int16 → physical unit factor of an ADC channel. The divisions are done one by one in
   double, in the order neo uses, so that the values agree with neo to the last bit. */
#include "abf_info.h"

#include <math.h>

int abf_adc_scale(const abf_buf *b, int index, const abf_gains *g, abf_adc *adc)
{
    if (g->instrument_scale == 0 || g->signal_gain == 0 || g->programmable_gain == 0 ||
        g->resolution == 0 || (g->telegraph && g->telegraph_gain == 0))
        return abf_fail(b, "ADC channel %d (%s): a zero divisor in its scaling (instrument "
                        "scale factor %g, signal gain %g, programmable gain %g, resolution "
                        "%ld%s)", index, adc->name, g->instrument_scale, g->signal_gain,
                        g->programmable_gain, (long)g->resolution,
                        g->telegraph ? ", telegraph gain 0" : "");
    double gain = g->range;
    gain /= g->instrument_scale;
    gain /= g->signal_gain;
    gain /= g->programmable_gain;
    gain /= g->resolution;
    if (g->telegraph) gain /= g->telegraph_gain;
    double offset = g->instrument_offset;
    offset -= g->signal_offset;
    if (!isfinite(gain) || !isfinite(offset))
        return abf_fail(b, "ADC channel %d (%s): its scaling is not finite (gain %g, offset "
                        "%g)", index, adc->name, gain, offset);
    adc->gain = gain;
    adc->offset = offset;
    return 0;
}
