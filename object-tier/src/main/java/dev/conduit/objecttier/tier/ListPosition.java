package dev.conduit.objecttier.tier;

/**
 * Where a merged listing of a read-through bucket goes on: both sides resume after {@code after}
 * (the last key or common prefix already listed, or the client's start-after or marker), unless
 * that side is done, and the cold side resumes from the cold tier's own continuation token when it
 * has one (its last page was used up whole). A v2 continuation token carries all of it; a v1
 * marker only {@code after}.
 *
 * @param after     exclusive lower bound of both sides ("" = from the start).
 * @param localDone whether the local side has nothing more after {@code after}.
 * @param coldDone  whether the cold side has nothing more after {@code after}.
 * @param coldToken the cold tier's continuation token to resume the cold side from, or "" to resume it after {@code after}.
 */
public record ListPosition(String after, boolean localDone, boolean coldDone, String coldToken)
{
    /** Normalises nulls to "". */
    public ListPosition
    {
        after = after == null ? "" : after;
        coldToken = coldToken == null ? "" : coldToken;
    }

    /**
     * @param startAfter the client's start-after or marker ("" = from the start).
     * @return the position of a listing's first page.
     */
    public static ListPosition start(final String startAfter)
    {
        return new ListPosition(startAfter, false, false, "");
    }
}
