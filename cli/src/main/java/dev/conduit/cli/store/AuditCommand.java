package dev.conduit.cli.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.ExitCodes;
import dev.conduit.core.config.Units;
import dev.conduit.objecttier.audit.AuditCodec;
import dev.conduit.objecttier.audit.AuditEntry;
import dev.conduit.objecttier.audit.AuditReader;
import dev.conduit.objecttier.audit.AuditVerification;
import dev.conduit.objecttier.audit.AuditVerifier;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code conduit audit [--since T] [--bucket B] [--key K] [--json]} prints the audit log of
 * mutating S3 requests; {@code conduit audit --verify [--expect-head SEQ:HASH]} checks its hash
 * chain and exits 4 when an entry was edited, dropped or reordered.
 */
@Command(name = "audit", sortOptions = false,
    description = "Print the audit log of mutating S3 requests, or --verify its hash chain.")
public final class AuditCommand extends StoreCommand
{
    @Option(names = "--since", paramLabel = "T",
        description = "only entries at or after T: an instant (2026-12-01T10:00:00Z) or an age (90m, 2h, 7d)")
    private String since;

    @Option(names = "--bucket", paramLabel = "B", description = "only requests on bucket B")
    private String bucket;

    @Option(names = "--key", paramLabel = "K", description = "only requests on object key K")
    private String key;

    @Option(names = "--json", description = "one JSON object per line, as stored")
    private boolean json;

    @Option(names = "--verify", description = "check the hash chain instead of printing entries")
    private boolean verify;

    @Option(names = "--expect-head", paramLabel = "SEQ:HASH",
        description = "with --verify: a head printed by an earlier --verify; catches a truncated tail")
    private String expectHead;

    @Override
    Integer run()
    {
        final long sinceMs = since == null ? Long.MIN_VALUE : parseSince(since);
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT))
        {
            final AuditReader reader = new AuditReader(scheduled.store());
            return verify ? verify(reader) : list(reader, sinceMs);
        }
    }

    private int list(final AuditReader reader, final long sinceMs)
    {
        final long[] shown = new long[1];
        reader.forEachEntry(entry ->
        {
            if (entry.timeMs() < sinceMs || (bucket != null && !bucket.equals(entry.bucket()))
                || (key != null && !key.equals(entry.key())))
            {
                return;
            }
            out().println(json ? AuditCodec.line(entry) : text(entry));
            shown[0]++;
        });
        out().flush();
        if (!json)
        {
            err().println(shown[0] + " entries");
            err().flush();
        }
        return ExitCodes.OK;
    }

    private int verify(final AuditReader reader)
    {
        long anchorSeq = 0;
        String anchorHash = null;
        if (expectHead != null)
        {
            final int colon = expectHead.indexOf(':');
            if (colon <= 0)
            {
                throw new CommandLine.ParameterException(spec().commandLine(), "--expect-head wants SEQ:HASH, got " + expectHead);
            }
            anchorSeq = parseSeq(expectHead.substring(0, colon));
            anchorHash = expectHead.substring(colon + 1);
        }
        final AuditVerification report = AuditVerifier.verify(reader, anchorSeq, anchorHash);
        if (report.intact())
        {
            print("audit log intact: " + report.entries() + " entries; head " + report.headSeq() + ":" + report.headHash());
            return ExitCodes.OK;
        }
        for (final String problem : report.problems())
        {
            err().println("audit: " + problem);
        }
        err().println("audit log damaged: " + report.entries() + " entries read; intact up to "
            + report.headSeq() + ":" + report.headHash());
        err().flush();
        return ExitCodes.DAMAGED;
    }

    private long parseSeq(final String text)
    {
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException e)
        {
            throw new CommandLine.ParameterException(spec().commandLine(), "--expect-head: not a sequence number: " + text);
        }
    }

    private long parseSince(final String text)
    {
        try
        {
            return Instant.parse(text).toEpochMilli();
        }
        catch (final DateTimeParseException notAnInstant)
        {
            try
            {
                final String age = text.strip();
                final long ageNs = age.endsWith("d")
                    ? TimeUnit.DAYS.toNanos(Units.parseInt(age.substring(0, age.length() - 1)))
                    : Units.parseDurationNs(age);
                return System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(ageNs);
            }
            catch (final IllegalArgumentException notADuration)
            {
                throw new CommandLine.ParameterException(spec().commandLine(),
                    "--since wants an instant (2026-12-01T10:00:00Z) or an age (90m, 2h, 7d): " + text);
            }
        }
    }

    private static String text(final AuditEntry entry)
    {
        final StringBuilder sb = new StringBuilder(160)
            .append(entry.seq()).append(' ').append(entry.time()).append(' ')
            .append(entry.accessKey().isEmpty() ? "-" : entry.accessKey()).append(' ')
            .append(entry.operation()).append(' ')
            .append(entry.bucket().isEmpty() ? "-" : entry.bucket());
        if (!entry.key().isEmpty())
        {
            sb.append('/').append(entry.key());
        }
        sb.append(' ').append(entry.status());
        if (!entry.error().isEmpty())
        {
            sb.append(' ').append(entry.error());
        }
        if (!entry.versionId().isEmpty())
        {
            sb.append(" version=").append(entry.versionId());
        }
        if (!entry.etag().isEmpty())
        {
            sb.append(" etag=").append(entry.etag());
        }
        return sb.toString();
    }
}
