package dev.amend.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.amend.AmendException;
import dev.amend.data.ExampleSet;
import dev.amend.model.nn.ParamSpec;
import dev.amend.model.nn.Sequential;
import dev.amend.util.AtomicFolders;
import dev.amend.util.FileChecks;
import dev.amend.util.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Saves a {@link ModelHandle} to a folder and loads it back, bit for bit. The folder holds
 * {@value #MODEL_JSON} (a {@link ModelFile}: format version, the {@link ModelSpec} with
 * architecture, options, input shape, classes, input mean, precision and weight decay, and
 * the names and shapes of the parameter tensors) and {@value #PARAMETERS} (the parameter
 * tensors in flat-vector order, in DJL's NDList encoding, readable by any DJL program with
 * {@code NDList.decode}). The folder is written atomically (see {@link AtomicFolders}), so a
 * spec never sits beside parameters of another model.
 */
public final class ModelStore {
    public static final String MODEL_JSON = "model.json";
    public static final String PARAMETERS = "parameters.ndlist";
    /** The module of a model brought as TorchScript ({@link ScriptedModel}), saved beside its parameters. */
    public static final String MODULE = "model.pt";
    /** Raised when the layout of the folder changes incompatibly; load refuses other versions. */
    public static final int FORMAT = 1;

    /**
     * The content of {@value #MODEL_JSON}.
     *
     * @param format the layout version, {@value #FORMAT}
     * @param spec what rebuilds the network
     * @param parameters name and shape of each tensor in {@value #PARAMETERS}, for readers and
     *     for a clear message when the file does not fit the architecture
     * @param parametersSha256 the SHA-256 of {@value #PARAMETERS} (hex), checked when the model
     *     is loaded so that a damaged file is refused instead of predicting garbage; null in
     *     models saved before amend recorded it, which load unchecked
     */
    public record ModelFile(int format, ModelSpec spec, List<Tensor> parameters, String parametersSha256) {
        public ModelFile {
            if (parameters == null) {
                throw new AmendException("the model file lists no \"parameters\"");
            }
            parameters = List.copyOf(parameters);
        }
    }

    /** One parameter tensor: its name and shape. */
    public record Tensor(String name, long[] shape) {
    }

    private ModelStore() {
    }

    /**
     * Writes the model into {@code folder}, replacing a model saved there before; a non-empty
     * folder without {@value #MODEL_JSON} is left alone and the save fails.
     */
    public static void save(ModelHandle model, Path folder) {
        List<Tensor> tensors = model.parameterSpecs().stream().map(p -> new Tensor(p.name(), p.shape())).toList();
        AtomicFolders.write(folder, "model folder", ModelStore::isModelFolder, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp.resolve(PARAMETERS)))) {
                model.parameters().encode(out);
            }
            if (isScripted(model.spec())) {
                // The network is the user's module code, which only the module file holds.
                model.exportTorchScript(tmp.resolve(MODULE));
            }
            ModelFile file = new ModelFile(FORMAT, model.spec(), tensors, sha256(tmp.resolve(PARAMETERS)));
            Files.writeString(tmp.resolve(MODEL_JSON), Json.toJson(file));
        });
    }

    /** Whether {@code folder} holds a saved model (its {@value #MODEL_JSON}). */
    public static boolean isModelFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(MODEL_JSON));
    }

    /** Reads the spec of a saved model without loading its parameters. */
    public static ModelFile readModelFile(Path folder) {
        if (!Files.exists(folder)) {
            throw new AmendException("no such model file or folder: " + folder);
        }
        if (!Files.isDirectory(folder)) {
            throw new AmendException("no model in " + folder + ": it is a file, not a model folder (a folder with "
                    + MODEL_JSON + ") nor a TorchScript file (a zip archive written by torch.jit.save)");
        }
        Path json = folder.resolve(MODEL_JSON);
        if (!Files.isRegularFile(json)) {
            throw new AmendException("no model in " + folder + ": " + MODEL_JSON + " missing");
        }
        ModelFile file = readLegacyAware(json);
        if (file.format() != FORMAT) {
            throw new AmendException(json + " has format " + file.format() + "; this amend reads format " + FORMAT);
        }
        if (file.spec() == null) {
            throw new AmendException(json + " has no \"spec\"");
        }
        return file;
    }

    /** Reads model.json; specs written before a default changed keep the network they were saved with. */
    private static ModelFile readLegacyAware(Path json) {
        ModelFile file = Json.read(json, ModelFile.class);
        if (file.spec() != null) {
            com.fasterxml.jackson.databind.JsonNode tree = Json.read(json, com.fasterxml.jackson.databind.JsonNode.class);
            file = new ModelFile(file.format(), file.spec().withLegacyDefaults(tree.get("spec")), file.parameters(),
                    file.parametersSha256());
        }
        return file;
    }

    private static boolean isScripted(ModelSpec spec) {
        return ScriptedModel.ARCHITECTURE.equals(spec.architecture());
    }

    /**
     * Loads a model saved by {@link #save}, or a TorchScript file exported by amend (see
     * {@link TorchScript}); every problem with the files is a one-line {@link AmendException}.
     */
    public static ModelHandle load(Path folder) {
        return load(folder, null);
    }

    /**
     * Loads a model saved by {@link #save} or a TorchScript file: one exported by amend (it
     * carries its spec) becomes amend's own network again, any other is opened as a
     * {@link ScriptedModel} for the images and classes of {@code data} (required then).
     */
    public static ModelHandle load(Path folder, ExampleSet data) {
        if (TorchScript.isTorchScriptFile(folder)) {
            if (TorchScript.carriesSpec(folder) || data == null) {
                return TorchScript.importModel(folder);
            }
            return ScriptedModel.open(folder, data);
        }
        ModelFile file = readModelFile(folder);
        ModelSpec spec = file.spec();
        List<ParamSpec> expected;
        if (isScripted(spec)) {
            Path module = folder.resolve(MODULE);
            if (!Files.exists(module)) {
                throw new AmendException("no model in " + folder + ": " + MODULE + " missing");
            }
            try (ScriptedModel shape = ScriptedModel.open(module, spec)) {
                expected = shape.parameterSpecs();
            }
        } else {
            Sequential built = Architectures.build(spec);
            ModelBudget.check(spec, built);
            expected = built.parameters();
        }
        Path parameters = folder.resolve(PARAMETERS);
        if (!Files.exists(parameters)) {
            throw new AmendException("no model in " + folder + ": " + PARAMETERS + " missing");
        }
        FileChecks.requireFile(parameters);
        if (file.parametersSha256() != null) {
            String actual = sha256(parameters);
            if (!actual.equalsIgnoreCase(file.parametersSha256())) {
                throw new AmendException(parameters + " is damaged or was replaced: its SHA-256 is "
                        + actual.substring(0, 12) + "..., but " + MODEL_JSON + " records "
                        + file.parametersSha256().substring(0, Math.min(12, file.parametersSha256().length())) + "...");
            }
        }
        DataType dtype = spec.precision() == ModelSpec.Precision.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        double[] theta;
        try (NDManager manager = Engines.newManager()) {
            NDList arrays = decode(manager, parameters);
            if (arrays.size() != expected.size()) {
                throw new AmendException(parameters + " holds " + arrays.size() + " tensors but model "
                        + spec.architecture() + " has " + expected.size());
            }
            for (int i = 0; i < expected.size(); i++) {
                NDArray a = arrays.get(i);
                ParamSpec p = expected.get(i);
                if (!Arrays.equals(a.getShape().getShape(), p.shape())) {
                    throw new AmendException(parameters + ": tensor " + i + " (" + p.name() + ") has shape "
                            + a.getShape() + " but model " + spec.architecture() + " needs " + Arrays.toString(p.shape()));
                }
                if (a.getDataType() != dtype) {
                    throw new AmendException(parameters + ": tensor " + i + " (" + p.name() + ") is "
                            + a.getDataType() + " but " + MODEL_JSON + " says " + spec.precision());
                }
            }
            // float32 -> float64 -> float32 is exact, so the flat vector reproduces the saved bits.
            theta = ModelHandle.flatten(arrays);
        }
        for (int i = 0; i < theta.length; i++) {
            if (!Double.isFinite(theta[i])) {
                throw new AmendException(parameters + " holds a " + theta[i] + " at parameter " + i
                        + "; a trained model has finite parameters, so the file is damaged");
            }
        }
        if (isScripted(spec)) {
            ScriptedModel model = ScriptedModel.open(folder.resolve(MODULE), spec);
            model.setParameters(theta);
            return model;
        }
        return ModelHandle.of(spec, theta);
    }

    /** The SHA-256 of a file, in hex. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw FileChecks.readError(file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256, which every Java platform must have", e);
        }
    }

    private static NDList decode(NDManager manager, Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            NDList list = NDList.decode(manager, in);
            if (in.read() != -1) {
                throw new AmendException(file + " has bytes after its last tensor; it is not a parameter file");
            }
            return list;
        } catch (IOException e) {
            throw new AmendException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (AmendException e) {
            throw e;
        } catch (RuntimeException e) {
            // DJL reports a truncated or foreign file as an unchecked exception with little context.
            throw new AmendException(file + " is truncated or not a parameter file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }
}
