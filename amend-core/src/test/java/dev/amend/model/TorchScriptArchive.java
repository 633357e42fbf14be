package dev.amend.model;

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

/** Reads the tensors of a TorchScript archive by attribute path (e.g. bn1.running_mean), for tests. */
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
}
