package dev.conduit.objecttier.audit;

import java.util.List;

/**
 * What {@link AuditVerifier} found.
 *
 * @param entries  how many entries were read.
 * @param headSeq  the last intact entry's sequence number (0 for none): record it, with
 *                 {@code headHash}, outside the store to detect a later truncation of the tail.
 * @param headHash that entry's hash ({@link AuditEntry#GENESIS} for none).
 * @param problems what is wrong, first found first; empty when the chain is intact.
 */
public record AuditVerification(long entries, long headSeq, String headHash, List<String> problems)
{
    /** Copies the list. */
    public AuditVerification
    {
        problems = List.copyOf(problems);
    }

    /** @return whether every entry is present, in order, unedited. */
    public boolean intact()
    {
        return problems.isEmpty();
    }
}
