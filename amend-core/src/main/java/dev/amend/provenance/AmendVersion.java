package dev.amend.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of amend that is running. */
public final class AmendVersion {
    /** Reported when amend runs from class folders (tests, an IDE) rather than from a built jar. */
    public static final String UNKNOWN = "unknown";

    // Maven writes this file into every jar it builds; reading it keeps the version in one place, the pom.
    private static final String POM_PROPERTIES = "/META-INF/maven/dev.amend/amend-core/pom.properties";

    private AmendVersion() {
    }

    /** The amend-core version from the jar's Maven metadata, or {@link #UNKNOWN}. */
    public static String current() {
        try (InputStream in = AmendVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", UNKNOWN);
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
