package dev.amend.data;

import dev.amend.AmendException;

/**
 * Mean centring (Methods 4.1): pixel values stay in [0, 1] while noise is injected, then the
 * per-channel mean of the training data is subtracted from every split. The mean is returned
 * as a plain {@code float[]} (one value per channel) so that a saved model can store it and
 * apply the same centring to new data.
 */
public final class Preprocessing {
    private Preprocessing() {
    }

    /**
     * The mean of each channel over all pixels of all images. Sums run in double precision,
     * since a float sum over millions of pixels loses several digits.
     */
    public static float[] channelMean(ExampleSet data) {
        if (data.size() == 0) {
            throw new AmendException("the training part is empty: there are no examples to train on");
        }
        int channels = data.channels();
        int plane = data.height() * data.width();
        double[] sums = new double[channels];
        float[] x = data.pixels();
        for (int i = 0; i < data.size(); i++) {
            int base = i * data.imageSize();
            for (int c = 0; c < channels; c++) {
                double s = 0;
                int start = base + c * plane;
                for (int k = start; k < start + plane; k++) {
                    s += x[k];
                }
                sums[c] += s;
            }
        }
        float[] mean = new float[channels];
        double count = (double) data.size() * plane;
        for (int c = 0; c < channels; c++) {
            mean[c] = (float) (sums[c] / count);
        }
        return mean;
    }

    /** A new data set whose pixels are the old ones minus the mean of their channel. */
    public static ExampleSet subtractMean(ExampleSet data, float[] channelMean) {
        if (channelMean.length != data.channels()) {
            throw new AmendException("the mean has " + channelMean.length + " channels but the data has "
                    + data.channels() + " (" + data.shapeString() + ")");
        }
        int plane = data.height() * data.width();
        float[] x = data.pixels();
        float[] centred = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            centred[i] = x[i] - channelMean[(i / plane) % channelMean.length];
        }
        return data.withImages(centred);
    }
}
