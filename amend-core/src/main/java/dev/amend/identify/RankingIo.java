package dev.amend.identify;

import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.util.AtomicFiles;
import dev.amend.util.FileChecks;
import dev.amend.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranking files of a run folder (STYLE.md "Runs on disk"):
 *
 * <ul>
 *   <li>{@value #CSV}: one line per training example, most harmful first, with the columns
 *       {@code train_index,row,score,rank,label,corrupted}: {@code train_index} is the 0-based
 *       position in the training set D the method scored, {@code row} that example's row in the
 *       user's file ({@link ExampleSet#row(int)}), {@code score} s(z) (docs/methods.md 0: higher = more
 *       harmful) written so that it reads back bit for bit, {@code rank} 1-based,
 *       {@code label} the class index the example carries in D, {@code corrupted} 1 or 0 when the
 *       scenario's ground truth is known, empty otherwise;</li>
 *   <li>{@value #JSON}: the method, its settings, the seconds it took, N, the training-set
 *       fingerprint, the first entries of the ranking and, when the ground truth is known, an
 *       {@link IdentificationMetrics.Summary}.</li>
 * </ul>
 *
 * Both are written atomically. {@link #read(Path, ExampleSet)} maps the CSV's rows back to
 * positions in a training set and refuses a ranking that was made for another one, so that a
 * treatment cannot erase the wrong examples.
 */
public final class RankingIo {
    public static final String CSV = "ranking.csv";
    public static final String JSON = "ranking.json";
    static final String HEADER = "train_index,row,score,rank,label,corrupted";
    /** The method name of a ranking read from a CSV without a {@value #JSON} beside it. */
    public static final String EXTERNAL_METHOD = "external";
    private static final int DEFAULT_PREVIEW = 16;

    private RankingIo() {
    }

    /**
     * The content of {@value #JSON}.
     *
     * @param method the identification method
     * @param settings its settings as resolved for this run
     * @param seconds wall-clock seconds from the trained model and F_q to the ranking
     *     (docs/methods.md 4.3, Table 1), or null if not measured
     * @param n training set size N
     * @param fingerprint {@link #fingerprint(ExampleSet)} of the training set
     * @param top the most harmful entries
     * @param metrics identification metrics against the ground truth, or null if unknown
     * @param facts what the method measured while ranking ({@link Ranking#facts()}: EWC-influence's
     *     phase seconds and epochs, CG's iterations and final residual, LiSSA's scale)
     */
    public record RankingInfo(String method, Map<String, Object> settings, Double seconds, int n, String fingerprint,
            List<Entry> top, IdentificationMetrics.Summary metrics, Map<String, Object> facts) {
    }

    /** One line of the ranking, as previewed in {@value #JSON}. */
    public record Entry(int rank, int trainIndex, int row, double score, int label) {
    }

    /** Starts writing {@code ranking}, which was computed over {@code train}. */
    public static RankingWriter writer(Ranking ranking, ExampleSet train) {
        return new RankingWriter(ranking, train);
    }

    /** Optional content of the ranking files; {@link #write(Path)} writes both. */
    public static final class RankingWriter {
        private final Ranking ranking;
        private final ExampleSet train;
        private Map<String, Object> settings = Map.of();
        private Double seconds;
        private boolean[] corrupted;
        private IdentificationMetrics.Summary metrics;
        private int preview = DEFAULT_PREVIEW;

        private RankingWriter(Ranking ranking, ExampleSet train) {
            if (ranking.size() != train.size()) {
                throw new IllegalArgumentException("the ranking has " + ranking.size() + " scores but the training set "
                        + train.size() + " examples");
            }
            this.ranking = ranking;
            this.train = train;
        }

        /** The method's settings, recorded in {@value #JSON}. */
        public RankingWriter optSettings(Map<String, Object> settings) {
            this.settings = new LinkedHashMap<>(settings);
            return this;
        }

        /** The identification time in seconds (null in {@value #JSON} when not given). */
        public RankingWriter optSeconds(double seconds) {
            this.seconds = seconds;
            return this;
        }

        /** The ground-truth mask by training position; fills the {@code corrupted} column. */
        public RankingWriter optCorrupted(boolean[] corrupted) {
            if (corrupted.length != train.size()) {
                throw new IllegalArgumentException("the corrupted mask has " + corrupted.length + " entries, not "
                        + train.size());
            }
            this.corrupted = corrupted.clone();
            return this;
        }

        /** Identification metrics against the ground truth, recorded in {@value #JSON}. */
        public RankingWriter optMetrics(IdentificationMetrics.Summary metrics) {
            this.metrics = metrics;
            return this;
        }

        /** How many of the most harmful entries {@value #JSON} lists (default 16, as in [T22] Fig. 2d). */
        public RankingWriter optPreview(int entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("preview must not be negative, got " + entries);
            }
            this.preview = entries;
            return this;
        }

        /** Writes {@value #CSV} and {@value #JSON} into {@code folder}; returns the CSV file. */
        public Path write(Path folder) {
            Path csv = folder.resolve(CSV);
            int[] order = ranking.order();
            AtomicFiles.write(csv, stream -> {
                Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                out.write(HEADER);
                out.write('\n');
                for (int r = 0; r < order.length; r++) {
                    int i = order[r];
                    out.write(i + "," + train.row(i) + "," + ranking.score(i) + "," + (r + 1) + "," + train.label(i)
                            + "," + (corrupted == null ? "" : corrupted[i] ? "1" : "0") + "\n");
                }
                out.flush();
            });
            List<Entry> top = new ArrayList<>();
            for (int r = 0; r < Math.min(preview, order.length); r++) {
                int i = order[r];
                top.add(new Entry(r + 1, i, train.row(i), ranking.score(i), train.label(i)));
            }
            RankingInfo info = new RankingInfo(ranking.method(), settings, seconds, train.size(), fingerprint(train),
                    top, metrics, ranking.facts());
            AtomicFiles.writeString(folder.resolve(JSON), Json.toJson(info));
            return csv;
        }
    }

    /**
     * Reads a ranking back for the training set {@code train}: {@code file} is {@value #CSV} or
     * the folder holding it. Each line's row is mapped to its position in {@code train}, so the
     * ranking's scores land on the right examples even if {@code train} lists them in another
     * order. If {@value #JSON} lies beside the CSV, the method name is taken from it and its
     * fingerprint must match {@code train}; otherwise the method is {@value #EXTERNAL_METHOD}.
     *
     * @throws AmendException with a one-line message if the file is missing or malformed, a row
     *     is not in {@code train} or appears twice, a label differs from {@code train}'s, an
     *     example of {@code train} has no score, or the fingerprint differs
     */
    public static Ranking read(Path file, ExampleSet train) {
        Path csv = Files.isDirectory(file) ? file.resolve(CSV) : file;
        Path json = csv.resolveSibling(JSON);
        String method = EXTERNAL_METHOD;
        Map<String, Object> facts = Map.of();
        if (Files.isRegularFile(json)) {
            RankingInfo info = Json.read(json, RankingInfo.class);
            checkFingerprint(info.fingerprint(), train);
            method = info.method();
            // What the method measured stays with the ranking (a CG solve that did not converge, say).
            facts = info.facts() == null ? Map.of() : info.facts();
        }
        return new Ranking(method, readScores(csv, train), null, facts);
    }

    private static double[] readScores(Path csv, ExampleSet train) {
        Map<Integer, Integer> positionOfRow = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            if (positionOfRow.put(train.row(i), i) != null) {
                throw new IllegalArgumentException("the training set holds row " + train.row(i) + " twice");
            }
        }
        if (!Files.exists(csv)) {
            throw new AmendException("no such file: " + csv);
        }
        FileChecks.requireFile(csv);
        double[] scores = new double[train.size()];
        boolean[] seen = new boolean[train.size()];
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.strip().equals(HEADER)) {
                throw new AmendException(csv + " is not a ranking file: its first line must be " + HEADER);
            }
            int lineNumber = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String where = csv + " line " + lineNumber;
                String[] cells = line.split(",", -1);
                if (cells.length != 6) {
                    throw new AmendException(where + " has " + cells.length + " fields instead of 6 (" + HEADER + ")");
                }
                int row = parseInt(cells[1], "row", where);
                double score = parseScore(cells[2], where);
                int label = parseInt(cells[4], "label", where);
                Integer position = positionOfRow.get(row);
                if (position == null) {
                    throw new AmendException(where + ": row " + row + " is not in the training set"
                            + " (a ranking made for another run?)");
                }
                if (seen[position]) {
                    throw new AmendException(where + ": row " + row + " appears twice");
                }
                if (train.label(position) != label) {
                    throw new AmendException(where + ": row " + row + " has label " + label + " in the ranking but "
                            + train.label(position) + " in the training set (a ranking made for another run?)");
                }
                seen[position] = true;
                scores[position] = score;
            }
        } catch (IOException e) {
            throw FileChecks.readError(csv, e);
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                throw new AmendException(csv + " has no score for row " + train.row(i) + " of the training set"
                        + " (a ranking made for another run?)");
            }
        }
        return scores;
    }

    private static int parseInt(String cell, String column, String where) {
        try {
            return Integer.parseInt(cell.strip());
        } catch (NumberFormatException e) {
            throw new AmendException(where + ": " + column + " '" + cell + "' is not a whole number");
        }
    }

    private static double parseScore(String cell, String where) {
        try {
            double score = Double.parseDouble(cell.strip());
            if (Double.isFinite(score)) {
                return score;
            }
        } catch (NumberFormatException e) {
            // reported below with the same message as a non-finite score
        }
        throw new AmendException(where + ": score '" + cell + "' is not a finite number");
    }

    /**
     * SHA-256, in hex, of the training set's shape (N, C, H, W), labels, rows and the bits of
     * every pixel: equal for the same examples in the same order, different (but for a hash
     * collision) after any change, including a different split, scenario seed or order.
     */
    public static String fingerprint(ExampleSet data) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        // Explicit big-endian buffers, so the fingerprint does not depend on the machine.
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        IntBuffer ints = bytes.asIntBuffer();
        ints.put(new int[] {data.size(), data.channels(), data.height(), data.width()});
        sha.update(bytes.array(), 0, 4 * ints.position());
        digestInts(sha, bytes, data.labels());
        digestInts(sha, bytes, data.rows());
        float[] pixels = data.pixels();
        FloatBuffer floats = bytes.asFloatBuffer();
        for (int from = 0; from < pixels.length; from += floats.capacity()) {
            int len = Math.min(floats.capacity(), pixels.length - from);
            floats.clear();
            floats.put(pixels, from, len);
            sha.update(bytes.array(), 0, 4 * len);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void digestInts(MessageDigest sha, ByteBuffer bytes, int[] values) {
        IntBuffer ints = bytes.asIntBuffer();
        for (int from = 0; from < values.length; from += ints.capacity()) {
            int len = Math.min(ints.capacity(), values.length - from);
            ints.clear();
            ints.put(values, from, len);
            sha.update(bytes.array(), 0, 4 * len);
        }
    }

    /**
     * Checks that a ranking whose {@value #JSON} recorded {@code expected} was made for
     * {@code train}.
     *
     * @throws AmendException "the ranking was made for another training set (fingerprint ...)"
     */
    public static void checkFingerprint(String expected, ExampleSet train) {
        String actual = fingerprint(train);
        if (!actual.equals(expected)) {
            throw new AmendException("the ranking was made for another training set (fingerprint "
                    + shorten(expected) + " in the ranking, " + shorten(actual) + " for this training set)");
        }
    }

    /** {@link #checkFingerprint(String, ExampleSet)} with the fingerprint stored in {@code rankingJson}. */
    public static void checkFingerprint(Path rankingJson, ExampleSet train) {
        checkFingerprint(Json.read(rankingJson, RankingInfo.class).fingerprint(), train);
    }

    // Twelve hex digits identify a training set in a message as well as sixty-four do.
    private static String shorten(String fingerprint) {
        return fingerprint == null ? "none" : fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }
}
