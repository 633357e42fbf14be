package dev.amend.data;

import dev.amend.AmendException;
import dev.amend.util.FileChecks;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads images sorted into class folders: {@code DIR/train/<class>/*.png|jpg|jpeg} and
 * {@code DIR/test/<class>/...}.
 *
 * <ul>
 *   <li>Classes: the sorted names of the folders in {@code DIR/train} (folders starting with
 *       a dot are ignored). {@code DIR/test} may lack a class, but may not add one. A class
 *       folder without images is an error.</li>
 *   <li>Rows: within a split, classes in sorted order and each class's files sorted by name;
 *       row r is the r-th file in that order, as listed by {@link #files}.</li>
 *   <li>Channels: grey (1 channel) if every pixel of every image, train and test, has equal
 *       red, green and blue; otherwise RGB (3 channels). The content decides, because grey
 *       pictures are often saved as RGB files. Alpha is ignored.</li>
 *   <li>All images must have the same width and height. Pixels are 8-bit value / 255.</li>
 * </ul>
 * Decoding uses {@code javax.imageio}, so PNG and JPEG need no further library.
 */
public final class ImageFolderReader {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private ImageFolderReader() {
    }

    public static LoadedData read(Path dir) {
        ReaderSupport.requireFolder(dir);
        Path trainDir = dir.resolve("train");
        Path testDir = dir.resolve("test");
        if (!Files.isDirectory(trainDir) || !Files.isDirectory(testDir)) {
            throw new AmendException(dir + " needs the sub-folders train/<class>/ and test/<class>/ with images");
        }
        List<String> classes = classNames(trainDir);
        for (String testClass : classNames(testDir)) {
            if (!classes.contains(testClass)) {
                throw new AmendException(testDir.resolve(testClass) + " is not a class of " + trainDir + " " + classes);
            }
        }
        Decoded train = decode(trainDir, classes);
        Decoded test = decode(testDir, classes);
        if (train.width != test.width || train.height != test.height) {
            throw new AmendException("images in " + trainDir + " are " + train.width + "x" + train.height
                    + " but images in " + testDir + " are " + test.width + "x" + test.height);
        }
        boolean grey = train.grey && test.grey;
        return new LoadedData("folder:" + dir, train.toDataset(grey, classes), test.toDataset(grey, classes),
                LoadedData.CUSTOM);
    }

    /**
     * Images sorted into class folders {@code dir/<class>/*.png|jpg|jpeg} without train and
     * test parts (failing examples collected for a model, say), read for a model with the given
     * classes and channel count: every folder must be one of {@code classes}, which need not all
     * have a folder; rows follow {@link #files}. With {@code channels} 3 grey images are read as
     * RGB; with 1, colour images are refused.
     *
     * @throws AmendException for a folder that is not a class, images of differing sizes, colour
     *     images for a grey model, or a channel count other than 1 or 3
     */
    public static ExampleSet readClasses(Path dir, List<String> classes, int channels) {
        if (channels != 1 && channels != 3) {
            throw new AmendException("the model takes images of " + channels + " channels, but image folders hold grey"
                    + " or RGB images");
        }
        for (String name : classNames(dir)) {
            if (!classes.contains(name)) {
                throw new AmendException(dir.resolve(name) + " is not a class of the model " + classes);
            }
        }
        Decoded d = new Decoded();
        for (Path file : files(dir, classes)) {
            d.add(file, classes.indexOf(file.getParent().getFileName().toString()));
        }
        if (channels == 1 && !d.grey) {
            throw new AmendException("the images in " + dir + " are in colour but the model takes grey images");
        }
        return d.toDataset(channels == 1, classes);
    }

    /** The sorted names of the class folders in {@code splitDir}. */
    public static List<String> classNames(Path splitDir) {
        ReaderSupport.requireFolder(splitDir);
        try (Stream<Path> entries = Files.list(splitDir)) {
            List<String> names = entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
            if (names.isEmpty()) {
                throw new AmendException(splitDir + " has no class folders");
            }
            return names;
        } catch (IOException e) {
            throw ReaderSupport.ioError(splitDir.toString(), e);
        }
    }

    /**
     * The image files of {@code splitDir} in row order: the classes in the order given (those
     * without a folder there are skipped), each class's images sorted by file name.
     */
    public static List<Path> files(Path splitDir, List<String> classNames) {
        List<Path> files = new ArrayList<>();
        for (String name : classNames) {
            files.addAll(classFiles(splitDir.resolve(name)));
        }
        return files;
    }

    private static List<Path> classFiles(Path classDir) {
        if (!Files.isDirectory(classDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(classDir)) {
            List<Path> images = entries.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
            if (images.isEmpty()) {
                throw new AmendException("class folder " + classDir + " has no .png or .jpg images");
            }
            return images;
        } catch (IOException e) {
            throw ReaderSupport.ioError(classDir.toString(), e);
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static Decoded decode(Path splitDir, List<String> classes) {
        Decoded d = new Decoded();
        for (int c = 0; c < classes.size(); c++) {
            for (Path file : classFiles(splitDir.resolve(classes.get(c)))) {
                d.add(file, c);
            }
        }
        return d;
    }

    // The size a PNG or JPEG header announces, read before the image is decoded into memory.
    private static void checkDeclaredSize(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ReaderSupport.checkImageSize(file.toString(), reader.getHeight(0), reader.getWidth(0));
            } finally {
                reader.dispose();
            }
        }
    }

    /** Decoded RGB pixels of one split, kept until the grey/RGB choice over both splits is known. */
    private static final class Decoded {
        final List<int[]> rgb = new ArrayList<>();
        final List<Integer> labels = new ArrayList<>();
        Path firstFile;
        int width;
        int height;
        boolean grey = true;

        void add(Path file, int label) {
            FileChecks.requireFile(file);
            BufferedImage image;
            try {
                checkDeclaredSize(file);
                image = ImageIO.read(file.toFile());
            } catch (IOException | RuntimeException e) {
                if (e instanceof AmendException amend) {
                    throw amend;
                }
                // ImageIO's decoders throw unchecked exceptions on some damaged files.
                throw new AmendException("cannot decode image " + file + ": " + e.getMessage(), e);
            }
            if (image == null) {
                throw new AmendException("cannot decode image " + file + ": not a PNG or JPEG file");
            }
            if (firstFile == null) {
                firstFile = file;
                width = image.getWidth();
                height = image.getHeight();
            } else if (image.getWidth() != width || image.getHeight() != height) {
                throw new AmendException("image " + file + " is " + image.getWidth() + "x" + image.getHeight()
                        + " but " + firstFile + " is " + width + "x" + height + "; all images must have the same size");
            }
            int[] pixels = argb(image);
            for (int argb : pixels) {
                int r = (argb >> 16) & 0xff;
                if (r != ((argb >> 8) & 0xff) || r != (argb & 0xff)) {
                    grey = false;
                    break;
                }
            }
            rgb.add(pixels);
            labels.add(label);
        }

        /**
         * The image as 8-bit ARGB. Grey images are read from the raster: getRGB would pass
         * them through a linear-to-sRGB conversion and turn 100 into 168.
         */
        private int[] argb(BufferedImage image) {
            ColorModel model = image.getColorModel();
            if (model instanceof IndexColorModel || model.getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
                return image.getRGB(0, 0, width, height, null, 0, width);
            }
            int max = (1 << model.getComponentSize(0)) - 1;
            int[] samples = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
            int[] pixels = new int[samples.length];
            for (int k = 0; k < samples.length; k++) {
                int v = (int) Math.round(samples[k] * 255.0 / max);
                pixels[k] = 0xff000000 | v << 16 | v << 8 | v;
            }
            return pixels;
        }

        ExampleSet toDataset(boolean asGrey, List<String> classes) {
            int channels = asGrey ? 1 : 3;
            int plane = width * height;
            float[] pixels = new float[rgb.size() * channels * plane];
            for (int i = 0; i < rgb.size(); i++) {
                int[] image = rgb.get(i);
                int base = i * channels * plane;
                for (int k = 0; k < plane; k++) {
                    int argb = image[k];
                    if (asGrey) {
                        pixels[base + k] = (argb & 0xff) / 255f;
                    } else {
                        pixels[base + k] = ((argb >> 16) & 0xff) / 255f;
                        pixels[base + plane + k] = ((argb >> 8) & 0xff) / 255f;
                        pixels[base + 2 * plane + k] = (argb & 0xff) / 255f;
                    }
                }
            }
            int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
            return ExampleSet.of(pixels, y, channels, height, width, classes);
        }
    }
}
