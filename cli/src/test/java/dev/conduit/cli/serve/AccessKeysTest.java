package dev.conduit.cli.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated key: AWS-like shape, 0600, generated once per data directory. */
@Timeout(10)
class AccessKeysTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldGenerateOnceIntoAPrivateFileAndReadTheSameKeyBack() throws Exception
    {
        final Path data = tmp.resolve("not-yet/var");

        final AccessKeys.Loaded first = AccessKeys.loadOrGenerate(data, new SecureRandom());
        final AccessKeys.Loaded again = AccessKeys.loadOrGenerate(data, new SecureRandom());

        assertTrue(first.generated());
        assertFalse(again.generated());
        assertEquals(first.credentials(), again.credentials());
        assertTrue(first.credentials().accessKeyId().matches("[A-Z2-7]{" + AccessKeys.ACCESS_KEY_LENGTH + "}"),
            first.credentials().accessKeyId());
        assertTrue(first.credentials().secretKey().matches("[A-Za-z0-9]{" + AccessKeys.SECRET_KEY_LENGTH + "}"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())));
        try (var listing = Files.list(data))
        {
            assertEquals(1, listing.count(), "no temporary file is left behind");
        }
    }

    @Test
    void shouldGenerateADifferentKeyForEachDataDirectory() throws Exception
    {
        final SecureRandom random = new SecureRandom();
        assertNotEquals(AccessKeys.loadOrGenerate(tmp.resolve("a"), random).credentials(),
            AccessKeys.loadOrGenerate(tmp.resolve("b"), random).credentials());
    }

    @Test
    void shouldRefuseAKeyFileWithoutASecret() throws Exception
    {
        Files.writeString(tmp.resolve(AccessKeys.FILE_NAME), "accessKeyId=ONLYTHEID\n");

        final IOException e = assertThrows(IOException.class, () -> AccessKeys.loadOrGenerate(tmp, new SecureRandom()));

        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
    }
}
