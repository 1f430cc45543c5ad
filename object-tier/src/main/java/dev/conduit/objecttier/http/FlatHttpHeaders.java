package dev.conduit.objecttier.http;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;

/**
 * HTTP headers in two flat arrays. {@link io.netty.handler.codec.http.DefaultHttpHeaders} allocates
 * a hash table of 16 buckets, a sentinel and an entry per header for every message, and an iterator
 * each time the encoder writes them; these are one object and two arrays, which a connection reuses
 * from one response to the next, and the decoder makes for each request ({@link #FACTORY}). Lookups
 * scan (a message carries a dozen headers or so); names compare ignoring ASCII case, and names and
 * values are validated as {@code DefaultHttpHeaders} validates them by default (a token; no bare
 * CR, LF or NUL), so nothing a caller sets can split a head. Values are kept as the caller's
 * {@link CharSequence} (other objects as their text, dates as HTTP dates), in insertion order;
 * {@code set} moves the name to the end, as {@code DefaultHttpHeaders} does.
 *
 * <p>Not thread-safe: one thread fills it, then another may read it after a hand-off (the event
 * loop encoding a response, a request's thread reading its request). {@link #iteratorCharSequence()}
 * (the encoder's) hands out one reused cursor whose entries are valid until its next step.
 */
final class FlatHttpHeaders extends HttpHeaders
{
    /** Makes the headers of each decoded request (not of trailers, which keep Netty's). */
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory()
    {
        @Override
        public HttpHeaders newHeaders()
        {
            return new FlatHttpHeaders(REQUEST_CAPACITY);
        }

        @Override
        public HttpHeaders newEmptyHeaders()
        {
            return new FlatHttpHeaders(REQUEST_CAPACITY);
        }
    };

    /** A response carries about a dozen headers. */
    private static final int RESPONSE_CAPACITY = 16;
    /** Room for the headers of most requests before growing (a browser's or an SDK's: 5 to 12). */
    private static final int REQUEST_CAPACITY = 8;

    private CharSequence[] names;
    private CharSequence[] values;
    private int size;
    /** Made on the first walk; reused for every walk after. */
    private Cursor cursor;
    /** Whether {@link #cursor} is handed out and not yet run to its end. */
    private boolean cursorBusy;

    /** Headers with room for a response's. */
    FlatHttpHeaders()
    {
        this(RESPONSE_CAPACITY);
    }

    /**
     * @param capacity headers held before the arrays grow.
     */
    FlatHttpHeaders(final int capacity)
    {
        this.names = new CharSequence[capacity];
        this.values = new CharSequence[capacity];
    }

    @Override
    public String get(final String name)
    {
        return get((CharSequence)name);
    }

    @Override
    public String get(final CharSequence name)
    {
        final int i = indexOf(name, 0);
        return i < 0 ? null : values[i].toString();
    }

    @Override
    public Integer getInt(final CharSequence name)
    {
        final int i = indexOf(name, 0);
        if (i < 0)
        {
            return null;
        }
        try
        {
            return Integer.parseInt(values[i], 0, values[i].length(), 10);
        }
        catch (final NumberFormatException e)
        {
            return null;
        }
    }

    @Override
    public int getInt(final CharSequence name, final int defaultValue)
    {
        final Integer value = getInt(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public Short getShort(final CharSequence name)
    {
        final Integer value = getInt(name);
        return value == null || value != value.shortValue() ? null : value.shortValue();
    }

    @Override
    public short getShort(final CharSequence name, final short defaultValue)
    {
        final Short value = getShort(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public Long getTimeMillis(final CharSequence name)
    {
        final int i = indexOf(name, 0);
        final Date date = i < 0 ? null : DateFormatter.parseHttpDate(values[i]);
        return date == null ? null : date.getTime();
    }

    @Override
    public long getTimeMillis(final CharSequence name, final long defaultValue)
    {
        final Long value = getTimeMillis(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public List<String> getAll(final String name)
    {
        final List<String> all = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1))
        {
            all.add(values[i].toString());
        }
        return all;
    }

    @Override
    public List<Map.Entry<String, String>> entries()
    {
        final List<Map.Entry<String, String>> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(names[i].toString(), values[i].toString()));
        }
        return entries;
    }

    @Override
    public boolean contains(final String name)
    {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(final CharSequence name)
    {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(final String name, final String value, final boolean ignoreCase)
    {
        return contains((CharSequence)name, value, ignoreCase);
    }

    @Override
    public boolean contains(final CharSequence name, final CharSequence value, final boolean ignoreCase)
    {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1))
        {
            if (equal(values[i], 0, values[i].length(), value, ignoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /** As {@link HttpHeaders#containsValue}: also finds {@code value} among a value's comma-separated, trimmed elements. */
    @Override
    public boolean containsValue(final CharSequence name, final CharSequence value, final boolean ignoreCase)
    {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1))
        {
            final CharSequence held = values[i];
            int start = 0;
            while (start <= held.length())
            {
                int end = start;
                while (end < held.length() && held.charAt(end) != ',')
                {
                    end++;
                }
                int from = start;
                int to = end;
                while (from < to && held.charAt(from) <= ' ')
                {
                    from++;
                }
                while (to > from && held.charAt(to - 1) <= ' ')
                {
                    to--;
                }
                if (equal(held, from, to, value, ignoreCase))
                {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    @Override
    @SuppressWarnings("deprecation")
    public Iterator<Map.Entry<String, String>> iterator()
    {
        return entries().iterator();
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence()
    {
        if (cursorBusy)
        {
            // A second walk while the first is unfinished gets its own cursor.
            return new Cursor();
        }
        if (cursor == null)
        {
            cursor = new Cursor();
        }
        cursorBusy = true;
        cursor.reset();
        return cursor;
    }

    @Override
    public boolean isEmpty()
    {
        return size == 0;
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public Set<String> names()
    {
        final Set<String> all = new LinkedHashSet<>();
        for (int i = 0; i < size; i++)
        {
            all.add(names[i].toString());
        }
        return all;
    }

    @Override
    public HttpHeaders add(final String name, final Object value)
    {
        return add((CharSequence)name, value);
    }

    @Override
    public HttpHeaders add(final CharSequence name, final Object value)
    {
        append(name, value);
        return this;
    }

    @Override
    public HttpHeaders add(final String name, final Iterable<?> values)
    {
        return add((CharSequence)name, values);
    }

    @Override
    public HttpHeaders add(final CharSequence name, final Iterable<?> values)
    {
        for (final Object value : values)
        {
            append(name, value);
        }
        return this;
    }

    @Override
    public HttpHeaders addInt(final CharSequence name, final int value)
    {
        return add(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders addShort(final CharSequence name, final short value)
    {
        return add(name, Short.toString(value));
    }

    @Override
    public HttpHeaders set(final String name, final Object value)
    {
        return set((CharSequence)name, value);
    }

    @Override
    public HttpHeaders set(final CharSequence name, final Object value)
    {
        final CharSequence text = text(value);
        remove(name);
        append(name, text);
        return this;
    }

    @Override
    public HttpHeaders set(final String name, final Iterable<?> values)
    {
        return set((CharSequence)name, values);
    }

    @Override
    public HttpHeaders set(final CharSequence name, final Iterable<?> values)
    {
        remove(name);
        return add(name, values);
    }

    @Override
    public HttpHeaders setInt(final CharSequence name, final int value)
    {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(final CharSequence name, final short value)
    {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(final String name)
    {
        return remove((CharSequence)name);
    }

    @Override
    public HttpHeaders remove(final CharSequence name)
    {
        int kept = 0;
        for (int i = 0; i < size; i++)
        {
            if (!AsciiString.contentEqualsIgnoreCase(names[i], name))
            {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return this;
    }

    @Override
    public HttpHeaders clear()
    {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        cursorBusy = false;
        return this;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("FlatHttpHeaders[");
        for (int i = 0; i < size; i++)
        {
            text.append(i == 0 ? "" : ", ").append(names[i]).append(": ").append(values[i]);
        }
        return text.append(']').toString();
    }

    private void append(final CharSequence name, final Object value)
    {
        Objects.requireNonNull(name, "name");
        final CharSequence text = text(value);
        final int badName = HttpHeaderValidationUtil.validateToken(name);
        if (name.isEmpty() || badName >= 0)
        {
            throw new IllegalArgumentException("a header name can only contain \"token\" characters, but found an "
                + "invalid character at index " + badName + " of header '" + name + "'");
        }
        final int badValue = HttpHeaderValidationUtil.validateValidHeaderValue(text);
        if (badValue >= 0)
        {
            throw new IllegalArgumentException("a header value contains a prohibited character at index " + badValue
                + " of the value of header '" + name + "'");
        }
        if (size == names.length)
        {
            names = Arrays.copyOf(names, Math.max(size * 2, RESPONSE_CAPACITY));
            values = Arrays.copyOf(values, Math.max(size * 2, RESPONSE_CAPACITY));
        }
        names[size] = name;
        values[size] = text;
        size++;
    }

    /** As {@code DefaultHttpHeaders} converts values: text as it is, dates as HTTP dates, anything else as its text. */
    private static CharSequence text(final Object value)
    {
        Objects.requireNonNull(value, "value");
        if (value instanceof CharSequence chars)
        {
            return chars;
        }
        if (value instanceof Date date)
        {
            return DateFormatter.format(date);
        }
        if (value instanceof Calendar calendar)
        {
            return DateFormatter.format(calendar.getTime());
        }
        return value.toString();
    }

    private int indexOf(final CharSequence name, final int from)
    {
        for (int i = from; i < size; i++)
        {
            if (AsciiString.contentEqualsIgnoreCase(names[i], name))
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean equal(final CharSequence held, final int from, final int to, final CharSequence value,
        final boolean ignoreCase)
    {
        if (to - from != value.length())
        {
            return false;
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char a = held.charAt(from + i);
            final char b = value.charAt(i);
            if (a != b && (!ignoreCase || AsciiString.toLowerCase(a) != AsciiString.toLowerCase(b)))
            {
                return false;
            }
        }
        return true;
    }

    /** Walks the headers as the encoder asks; the cursor is itself the entry it returns. */
    private final class Cursor implements Iterator<Map.Entry<CharSequence, CharSequence>>,
        Map.Entry<CharSequence, CharSequence>
    {
        private int next;
        private int current = -1;

        void reset()
        {
            next = 0;
            current = -1;
        }

        @Override
        public boolean hasNext()
        {
            final boolean more = next < size;
            if (!more && this == cursor)
            {
                cursorBusy = false;
            }
            return more;
        }

        @Override
        public Map.Entry<CharSequence, CharSequence> next()
        {
            if (next >= size)
            {
                throw new NoSuchElementException();
            }
            current = next++;
            return this;
        }

        @Override
        public CharSequence getKey()
        {
            return names[current];
        }

        @Override
        public CharSequence getValue()
        {
            return values[current];
        }

        @Override
        public CharSequence setValue(final CharSequence value)
        {
            throw new UnsupportedOperationException("read-only");
        }
    }
}
