package dev.conduit.objecttier.audit;

import java.util.ArrayList;
import java.util.List;

import dev.conduit.core.ConduitException;

/**
 * Walks the whole audit chain and reports every break: an entry whose hash does not match its
 * fields (edited), a sequence gap (dropped), an entry out of order (reordered), a {@code prev}
 * that is not the previous hash, a batch named for another first entry, an unreadable batch.
 * A truncated tail leaves an intact shorter chain, so it is caught only against a head recorded
 * earlier ({@link #verify(AuditReader, long, String)}).
 */
public final class AuditVerifier
{
    /** Problems listed in a report at most; the count of the rest is reported. */
    static final int MAX_PROBLEMS = 20;

    private final List<String> problems = new ArrayList<>();
    private int more;
    private long entries;
    private long expectedSeq = 1;
    private String prevHash = AuditEntry.GENESIS;
    private long headSeq;
    private String headHash = AuditEntry.GENESIS;
    private long anchorSeq;
    private String anchorHash;
    private boolean anchorSeen;

    private AuditVerifier()
    {
    }

    /**
     * @param reader the log.
     * @return the report.
     */
    public static AuditVerification verify(final AuditReader reader)
    {
        return verify(reader, 0, null);
    }

    /**
     * @param reader     the log.
     * @param anchorSeq  a head recorded earlier (0 for none).
     * @param anchorHash its hash.
     * @return the report; it names a problem when entry {@code anchorSeq} is missing or has another
     *         hash.
     */
    public static AuditVerification verify(final AuditReader reader, final long anchorSeq, final String anchorHash)
    {
        final AuditVerifier verifier = new AuditVerifier();
        verifier.anchorSeq = anchorSeq;
        verifier.anchorHash = anchorHash;
        try
        {
            reader.forEachBatch(verifier::onBatch);
        }
        catch (final ConduitException e)
        {
            verifier.problem(e.getMessage());
        }
        if (anchorSeq > 0 && !verifier.anchorSeen)
        {
            verifier.problem("entry " + anchorSeq + " of the recorded head is missing: the log ends at "
                + verifier.headSeq + " (truncated)");
        }
        if (verifier.more > 0)
        {
            verifier.problems.add("... and " + verifier.more + " more");
        }
        return new AuditVerification(verifier.entries, verifier.headSeq, verifier.headHash, verifier.problems);
    }

    private void onBatch(final AuditBatch batch)
    {
        if (batch.entries().isEmpty())
        {
            problem("batch " + batch.storeKey() + " is empty");
            return;
        }
        final long named = AuditKeys.firstSeq(batch.storeKey());
        if (named != batch.entries().getFirst().seq())
        {
            problem("batch " + batch.storeKey() + " starts with entry " + batch.entries().getFirst().seq());
        }
        for (final AuditEntry entry : batch.entries())
        {
            onEntry(entry);
        }
    }

    private void onEntry(final AuditEntry entry)
    {
        entries++;
        final boolean intact = entry.hash().equals(entry.computeHash());
        if (!intact)
        {
            problem("entry " + entry.seq() + " was edited: its hash does not match its fields");
        }
        if (entry.seq() > expectedSeq)
        {
            problem(entry.seq() - expectedSeq == 1 ? "entry " + expectedSeq + " is missing"
                : "entries " + expectedSeq + ".." + (entry.seq() - 1) + " are missing");
        }
        else if (entry.seq() < expectedSeq)
        {
            problem("entry " + entry.seq() + " is out of order (after entry " + (expectedSeq - 1) + ")");
        }
        if (!entry.prev().equals(prevHash))
        {
            problem("entry " + entry.seq() + " does not follow the entry before it (prev hash differs)");
        }
        if (entry.seq() == anchorSeq)
        {
            anchorSeen = true;
            if (!entry.hash().equals(anchorHash))
            {
                problem("entry " + anchorSeq + " has hash " + entry.hash() + ", not the recorded " + anchorHash);
            }
        }
        if (intact && problems.isEmpty())
        {
            headSeq = entry.seq();
            headHash = entry.hash();
        }
        expectedSeq = Math.max(expectedSeq, entry.seq() + 1);
        prevHash = entry.hash();
    }

    private void problem(final String text)
    {
        if (problems.size() < MAX_PROBLEMS)
        {
            problems.add(text);
        }
        else
        {
            more++;
        }
    }
}
