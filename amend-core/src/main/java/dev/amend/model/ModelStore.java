package dev.amend.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.amend.AmendException;
import dev.amend.model.nn.ParamSpec;
import dev.amend.util.AtomicFolders;
import dev.amend.util.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    /** Raised when the layout of the folder changes incompatibly; load refuses other versions. */
    public static final int FORMAT = 1;

    /**
     * The content of {@value #MODEL_JSON}.
     *
     * @param format the layout version, {@value #FORMAT}
     * @param spec what rebuilds the network
     * @param parameters name and shape of each tensor in {@value #PARAMETERS}, for readers and
     *     for a clear message when the file does not fit the architecture
     */
    public record ModelFile(int format, ModelSpec spec, List<Tensor> parameters) {
        public ModelFile {
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
        ModelFile file = new ModelFile(FORMAT, model.spec(), tensors);
        AtomicFolders.write(folder, "model folder", ModelStore::isModelFolder, tmp -> {
            Files.writeString(tmp.resolve(MODEL_JSON), Json.toJson(file));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp.resolve(PARAMETERS)))) {
                model.parameters().encode(out);
            }
        });
    }

    /** Whether {@code folder} holds a saved model (its {@value #MODEL_JSON}). */
    public static boolean isModelFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(MODEL_JSON));
    }

    /** Reads the spec of a saved model without loading its parameters. */
    public static ModelFile readModelFile(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new AmendException("no model in " + folder + ": the folder does not exist");
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
            file = new ModelFile(file.format(), file.spec().withLegacyDefaults(tree.get("spec")), file.parameters());
        }
        return file;
    }

    /**
     * Loads a model saved by {@link #save}, or a TorchScript file exported by amend (see
     * {@link TorchScript}); every problem with the files is a one-line {@link AmendException}.
     */
    public static ModelHandle load(Path folder) {
        if (TorchScript.isTorchScriptFile(folder)) {
            return TorchScript.importModel(folder);
        }
        ModelFile file = readModelFile(folder);
        ModelSpec spec = file.spec();
        List<ParamSpec> expected = Architectures.build(spec).parameters();
        Path parameters = folder.resolve(PARAMETERS);
        if (!Files.isRegularFile(parameters)) {
            throw new AmendException("no model in " + folder + ": " + PARAMETERS + " missing");
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
        return ModelHandle.of(spec, theta);
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
