package dev.amend.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.amend.AmendException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one JSON configuration of amend: every spec, provenance, metrics and ranking file is
 * written and read through {@link #mapper()}, so all of them look alike (pretty printed,
 * keys in declaration order) and a change of settings reaches all of them at once.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // A misspelt key in a hand-edited spec must be an error, not a silently ignored setting.
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Map keys sorted, so that files written from hash maps compare equal across runs.
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {
    }

    /** The shared mapper; it is thread-safe once configured, and it must not be reconfigured. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} as pretty-printed JSON text ending in a newline. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Reads a JSON file into {@code type}; a missing or malformed file is the user's error. */
    public static <T> T read(Path file, Class<T> type) {
        if (!Files.exists(file)) {
            throw new AmendException("no such file: " + file);
        }
        FileChecks.requireFile(file);
        T value;
        try (InputStream in = Files.newInputStream(file)) {
            value = MAPPER.readValue(in, type);
        } catch (NoSuchFileException e) {
            throw new AmendException("no such file: " + file, e);
        } catch (IOException e) {
            // A value the constructor of a record refused says best what is wrong.
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof AmendException amend) {
                    throw new AmendException(file + ": " + amend.getMessage(), e);
                }
            }
            throw new AmendException("cannot read " + file + ": " + firstLine(e.getMessage()), e);
        }
        if (value == null) {
            throw new AmendException(file + " holds no JSON object");
        }
        return value;
    }

    // Jackson's messages append the source location on further lines; amend's messages are one line.
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
