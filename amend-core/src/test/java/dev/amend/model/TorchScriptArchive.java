package dev.amend.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import dev.amend.data.ExampleSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Test helpers for TorchScript files: the tensors of an archive by attribute path (e.g.
 * bn1.running_mean), and logits of a file loaded as a plain module beside amend's.
 */
public final class TorchScriptArchive {
    private TorchScriptArchive() {
    }

    /** Attribute path -> the bytes of the tensor's storage record. */
    public static Map<String, byte[]> tensors(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                if (name.endsWith("/data.pkl") && name.indexOf('/') == name.lastIndexOf('/')) {
                    prefix = name.substring(0, name.indexOf('/'));
                }
            }
            Object root = new TorchScript.Unpickler(read(zip, prefix + "/data.pkl")).load();
            Map<String, byte[]> out = new LinkedHashMap<>();
            walk(zip, prefix, "", root, out);
            return out;
        }
    }

    /** Whether every BatchNorm buffer (running mean, variance, count) has the same bytes in both files. */
    public static boolean bufferRecordsEqual(Path a, Path b) throws IOException {
        Map<String, byte[]> ta = tensors(a);
        Map<String, byte[]> tb = tensors(b);
        int buffers = 0;
        for (Map.Entry<String, byte[]> e : ta.entrySet()) {
            String key = e.getKey();
            if (key.contains("running_") || key.contains("num_batches_tracked")) {
                buffers++;
                if (!tb.containsKey(key) || !Arrays.equals(e.getValue(), tb.get(key))) {
                    return false;
                }
            }
        }
        return buffers > 0;
    }

    private static void walk(ZipFile zip, String prefix, String path, Object value, Map<String, byte[]> out)
            throws IOException {
        if (value instanceof TorchScript.Instance instance && instance.state instanceof Map<?, ?> state) {
            for (Map.Entry<?, ?> e : state.entrySet()) {
                walk(zip, prefix, path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey(), e.getValue(),
                        out);
            }
        } else if (value instanceof TorchScript.Reduce r && !r.args().isEmpty()
                && r.args().get(0) instanceof TorchScript.Persistent p && p.id().size() > 2) {
            out.put(path, read(zip, prefix + "/data/" + p.id().get(2)));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(zip, prefix, path + "[" + i + "]", list.get(i), out);
            }
        }
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    /** Logits of all of {@code d} by the model, as amend computes them (float64 copy). */
    public static double[] amendLogits(ModelHandle m, ExampleSet d) {
        boolean g = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = m.newScope()) {
            return m.logits(m.inputs(scope, d, 0, d.size())).toType(DataType.FLOAT64, false).toDoubleArray();
        } finally {
            JniUtils.setGradMode(g);
        }
    }

    /** Logits of all of {@code d} by the file loaded as a plain TorchScript module in evaluation mode, as PyTorch would. */
    public static double[] plainLogits(Path file, ExampleSet d) {
        try (PtNDManager m = (PtNDManager) Engines.newManager()) {
            PtSymbolBlock block = JniUtils.loadModule(m, file.toAbsolutePath(), true, new String[0], new String[0],
                    false);
            JniUtils.enableInferenceMode(block);
            NDArray x = m.create(d.pixels(), new Shape(d.size(), d.channels(), d.height(), d.width()));
            NDList out = IValueUtils.forward(block, new NDList(x), false);
            return out.singletonOrThrow().toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    /** The largest absolute difference of two equally long vectors. */
    public static double maxDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError(a.length + " values against " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
