package dev.conduit.scheduler.store;

import java.util.function.Supplier;

/**
 * A bounded stack of reusable objects (completions, read contexts): {@link #take()} pops one or
 * makes a new one when none is free, {@link #give(Object)} pushes it back or drops it when the
 * pool is full. Once the pool holds as many objects as are ever in use at once, taking and giving
 * allocate nothing.
 *
 * <p>Threading: any thread; a short uncontended lock guards the stack.
 *
 * @param <T> the pooled type.
 */
final class ObjectPool<T>
{
    private final Supplier<T> factory;
    private final Object[] free;
    private int count;

    /**
     * @param factory  makes a new object when the pool is empty (called outside the lock).
     * @param capacity most idle objects kept.
     */
    ObjectPool(final Supplier<T> factory, final int capacity)
    {
        this.factory = factory;
        this.free = new Object[capacity];
    }

    /** @return a free object, or a new one. */
    @SuppressWarnings("unchecked")
    T take()
    {
        synchronized (this)
        {
            if (count > 0)
            {
                final Object o = free[--count];
                free[count] = null;
                return (T)o;
            }
        }
        return factory.get();
    }

    /**
     * @param o an object no longer in use.
     */
    void give(final T o)
    {
        synchronized (this)
        {
            if (count < free.length)
            {
                free[count++] = o;
            }
        }
    }
}
