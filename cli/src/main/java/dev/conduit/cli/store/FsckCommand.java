package dev.conduit.cli.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.blocklayout.FsckReport;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.scheduler.store.ScheduledStore;
import dev.conduit.blocklayout.SpaceReport;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code conduit fsck [--json] [--repair]}: verifies every structure and checksum; exit 4 when
 * damage was found (also when it was repaired, so scripts notice).
 */
@Command(name = "fsck", description = "Verify superblocks, journal, catalog and every chunk checksum; exit 4 on damage.")
public final class FsckCommand extends StoreCommand
{
    @Option(names = "--repair", description = "drop damaged objects and rewrite damaged superblock copies")
    private boolean repair;

    @Option(names = "--json", description = "print the report as one JSON object")
    private boolean json;

    @Override
    Integer run()
    {
        final FsckReport report;
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT.asLenient()))
        {
            final ObjectStore store = scheduled.store();
            report = store.fsck(repair, progress("fsck", false));
        }
        print(json ? RecordJson.render(toJson(report)) : toText(report));
        return report.clean() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }

    private static ObjectNode toJson(final FsckReport r)
    {
        final ObjectNode o = RecordJson.MAPPER.createObjectNode();
        o.put("clean", r.clean());
        o.put("objectsChecked", r.objectsChecked());
        o.put("bytesVerified", r.bytesVerified());
        r.problems().forEach(o.putArray("problems")::add);
        r.damagedKeys().forEach(o.putArray("damagedKeys")::add);
        r.repaired().forEach(o.putArray("repaired")::add);
        o.put("journalBatchesReplayed", r.journalBatches());
        o.put("tornJournalTail", r.tornJournalTail());
        final SpaceReport s = r.space();
        final ObjectNode space = o.putObject("space");
        space.put("capacityBytes", s.capacityBytes());
        space.put("usedBytes", s.usedBytes());
        space.put("freeBytes", s.freeBytes());
        space.put("reserveBytes", s.reserveBytes());
        space.put("fragmentation", s.fragmentation());
        return o;
    }

    private static String toText(final FsckReport r)
    {
        final StringBuilder text = new StringBuilder();
        text.append(r.clean() ? "clean" : "DAMAGED").append(": ").append(r.objectsChecked()).append(" objects, ")
            .append(r.bytesVerified()).append(" bytes verified; journal tail of ").append(r.journalBatches()).append(" batch(es)")
            .append(r.tornJournalTail() ? " ending in a torn (unacknowledged) batch" : "").append('\n');
        r.problems().forEach(p -> text.append("problem: ").append(p).append('\n'));
        r.repaired().forEach(p -> text.append("repaired: ").append(p).append('\n'));
        final SpaceReport s = r.space();
        text.append(String.format("space: %d of %d MiB used, fragmentation %.3f", s.usedBytes() >> 20, s.capacityBytes() >> 20, s.fragmentation()));
        return text.toString();
    }
}
