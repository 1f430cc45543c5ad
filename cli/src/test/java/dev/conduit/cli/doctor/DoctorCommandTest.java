package dev.conduit.cli.doctor;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class DoctorCommandTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String run(final String... args)
    {
        final CommandLine cmd = Main.commandLine();
        final StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute(args));
        return out.toString();
    }

    @Test
    void shouldPrintOneJsonObjectWithTheDocumentedKeys() throws Exception
    {
        final Path dir = Files.createDirectories(Path.of("target", "doctor-test"));
        final JsonNode report = MAPPER.readTree(run("doctor", "--json", dir.toString()));
        for (final String key : new String[] {"jdk", "kernel", "io_uring", "fs", "cuda", "cufile", "spdk", "path", "config"})
        {
            assertTrue(report.has(key), "missing " + key + " in " + report);
        }
        assertEquals(Runtime.version().feature(), report.at("/jdk/feature").asInt());
        assertTrue(report.at("/jdk/native_access").asBoolean(), "surefire runs with native access enabled");
        assertTrue(report.at("/cuda/available").isBoolean());
        assertTrue(report.at("/io_uring/available").isBoolean());
        final String mode = report.at("/io_uring/completion_mode").asText();
        assertTrue(report.at("/io_uring/available").asBoolean()
            ? mode.matches("(deferred|cooperative|interrupt) \\(.*\\)") : mode.equals("none"), mode);
        assertEquals(dir.toAbsolutePath().normalize().toString(), report.at("/fs/path").asText());
    }

    @Test
    void shouldSelectHostPathWithAReasonWhenCudaIsUnavailable() throws Exception
    {
        final JsonNode report = MAPPER.readTree(run("doctor", "--json", "target"));
        final String selected = report.at("/path/selected").asText();
        if (!report.at("/cuda/available").asBoolean())
        {
            assertEquals("host", selected);
            assertFalse(report.at("/cuda/reason").asText().isBlank());
            assertTrue(report.at("/path/reason").asText().contains(report.at("/cuda/reason").asText()));
        }
        else
        {
            assertTrue(selected.equals("gds") || selected.equals("bounce"), selected);
        }
    }

    @Test
    void shouldFindODirectWorkingOnTheBuildDirectory() throws Exception
    {
        final JsonNode fs = MAPPER.readTree(run("doctor", "--json", "target")).get("fs");
        final String type = fs.get("type").asText();
        if (type.equals("ext4") || type.equals("xfs"))
        {
            assertTrue(fs.get("o_direct").asBoolean(), fs.toString());
            assertTrue(fs.get("logical_block_size").asInt() >= 512);
        }
        else
        {
            assertTrue(fs.has("o_direct_reason"), fs.toString());
        }
    }

    @Test
    void shouldExamineNearestParentForMissingDataDirectory() throws Exception
    {
        final JsonNode fs = MAPPER.readTree(run("--data", "target/not-there/yet", "doctor", "--json")).get("fs");
        assertTrue(fs.get("path").asText().endsWith("target/not-there/yet"));
        assertTrue(fs.get("examined").asText().endsWith("target"), fs.toString());
    }

    @Test
    void shouldRenderTextWithSectionHeadings()
    {
        final String text = run("doctor", "target");
        assertTrue(text.contains("\njdk:") || text.startsWith("jdk:"), text);
        assertTrue(text.contains("path:\n  selected: "), text);
    }

    @Test
    void shouldAnswerHelpOnEverySubcommand()
    {
        final CommandLine root = Main.commandLine();
        for (final String name : root.getSubcommands().keySet())
        {
            if (name.equals("help"))
            {
                continue;
            }
            final StringWriter out = new StringWriter();
            final CommandLine cmd = Main.commandLine();
            cmd.setOut(new PrintWriter(out));
            assertEquals(0, cmd.execute(name, "--help"), name);
            assertTrue(out.toString().startsWith("Usage: conduit " + name), out.toString());
        }
    }
}
