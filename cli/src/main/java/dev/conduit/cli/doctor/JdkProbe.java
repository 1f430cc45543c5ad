package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.NativeRuntime;

/** The running JDK and whether it was started with native access enabled. */
final class JdkProbe
{
    private JdkProbe()
    {
    }

    static ObjectNode report()
    {
        final ObjectNode jdk = JsonNodeFactory.instance.objectNode();
        jdk.put("version", Runtime.version().toString());
        jdk.put("feature", Runtime.version().feature());
        jdk.put("vendor", System.getProperty("java.vendor"));
        jdk.put("home", System.getProperty("java.home"));
        final boolean enabled = NativeRuntime.nativeAccessEnabled();
        jdk.put("native_access", enabled);
        if (!enabled)
        {
            jdk.put("native_access_hint", "start the JVM with --enable-native-access=ALL-UNNAMED");
        }
        return jdk;
    }
}
