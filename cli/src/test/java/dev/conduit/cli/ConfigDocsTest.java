package dev.conduit.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.conduit.core.config.Setting;
import dev.conduit.core.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/CONFIG.md lists every key with its real default and environment variable. */
@Timeout(10)
class ConfigDocsTest
{
    private static final Path DOC = Path.of("..", "docs", "CONFIG.md").toAbsolutePath().normalize();

    @Test
    void shouldDocumentEveryKeyWithItsDefaultAndVariable() throws Exception
    {
        final String doc = Files.readString(DOC);
        for (final Setting<?> setting : Settings.ALL)
        {
            final String row = "| `" + setting.key() + "` | "
                + (setting.defaultText() == null ? "unset" : "`" + setting.defaultText() + "`")
                + " | `" + setting.envName() + "` |";
            assertTrue(doc.contains(row), "missing from " + DOC + ": " + row);
        }
    }
}
