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

    /** The system property the {@code ./amend} launcher sets to the checkout's git revision. */
    public static final String SOURCE_PROPERTY = "amend.source";

    private AmendVersion() {
    }

    /** The source revision given in {@value #SOURCE_PROPERTY}, or null when none was given. */
    public static String source() {
        String s = System.getProperty(SOURCE_PROPERTY);
        return s == null || s.isBlank() ? null : s.strip();
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
