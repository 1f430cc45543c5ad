package dev.conduit.nvmeof.target;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * An NVMe/TCP target: listens on one address (127.0.0.1 unless told otherwise), serves the
 * discovery subsystem and the NVM subsystems it was given, each connection a queue of a controller.
 *
 * <pre>{@code
 * final Subsystem subsystem = new Subsystem("nqn.2026-01.dev.conduit:ram0", List.of(ram), Set.of(hostNqn), false, "CONDUIT0001");
 * try (NvmfTarget target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 4420), List.of(subsystem)))
 * {
 *     ... target.localAddress() ...
 * }
 * }</pre>
 *
 * <p>Threading: one platform thread accepts connections; each connection reads on its own platform
 * thread and runs each I/O command on a virtual thread; one timer thread enforces keep-alive timeouts.
 * Namespaces are used concurrently and are not closed by the target: their owner closes them
 * after {@link #close()}.
 */
public final class NvmfTarget implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("conduit.nvmf");
    private static final int MAX_CONTROLLER_ID = 0xFFEF;

    private final NvmfTargetConfig config;
    private final Map<String, Subsystem> subsystems;
    private final List<Subsystem> subsystemList;
    private final ServerSocketChannel server;
    private final InetSocketAddress localAddress;
    private final ScheduledExecutorService timer;
    private final Thread acceptor;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment zeroes;
    private final Set<QueueConnection> connections = ConcurrentHashMap.newKeySet();
    private final ReentrantLock connectionsLock = new ReentrantLock();
    private final Condition connectionsGone = connectionsLock.newCondition();
    private final Map<Integer, Controller> controllers = new ConcurrentHashMap<>();
    private final AtomicLong acceptedConnections = new AtomicLong();
    private final AtomicLong terminations = new AtomicLong();
    private final AtomicLong keepAliveExpiries = new AtomicLong();
    private int nextControllerId = 1;
    private volatile boolean closed;

    private NvmfTarget(final NvmfTargetConfig config, final List<Subsystem> subsystems, final ServerSocketChannel server)
        throws IOException
    {
        this.config = config;
        this.subsystemList = List.copyOf(subsystems);
        final Map<String, Subsystem> byNqn = new HashMap<>();
        for (final Subsystem subsystem : subsystems)
        {
            if (byNqn.put(subsystem.nqn(), subsystem) != null)
            {
                throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "two subsystems named " + subsystem.nqn());
            }
        }
        this.subsystems = Map.copyOf(byNqn);
        this.server = server;
        this.localAddress = (InetSocketAddress)server.getLocalAddress();
        this.zeroes = arena.allocate(config.maxDataTransferBytes(), 4096);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("conduit-nvmf-timer").unstarted(r));
        this.acceptor = Thread.ofPlatform().daemon().name("conduit-nvmf-accept").unstarted(this::acceptLoop);
    }

    /**
     * Binds and starts serving.
     *
     * @param config     address, port and transport limits.
     * @param subsystems the NVM subsystems to export (distinct NQNs).
     * @return the running target; close it to stop.
     * @throws ConduitException {@code ADDRESS_IN_USE} when the port is taken, {@code INVALID_ARGUMENT}
     *                          for duplicate NQNs, {@code SYSTEM_ERROR} when the socket cannot be opened.
     */
    public static NvmfTarget start(final NvmfTargetConfig config, final List<Subsystem> subsystems)
    {
        ServerSocketChannel server = null;
        try
        {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(config.bindAddress(), config.port()), 128);
            final NvmfTarget target = new NvmfTarget(config, subsystems, server);
            target.acceptor.start();
            return target;
        }
        catch (final BindException e)
        {
            closeQuietly(server);
            throw new ConduitException(ErrorCode.ADDRESS_IN_USE,
                "cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        catch (final IOException e)
        {
            closeQuietly(server);
            throw new ConduitException(ErrorCode.SYSTEM_ERROR,
                "cannot open an NVMe/TCP listener on " + config.bindAddress() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        catch (final RuntimeException e)
        {
            closeQuietly(server);
            throw e;
        }
    }

    private static void closeQuietly(final ServerSocketChannel server)
    {
        if (server == null)
        {
            return;
        }
        try
        {
            server.close();
        }
        catch (final IOException e)
        {
            LOG.log(System.Logger.Level.DEBUG, "nvmf: listener close failed: {0}", e.toString());
        }
    }

    /** @return the address and port the target listens on. */
    public InetSocketAddress localAddress()
    {
        return localAddress;
    }

    /** @return the configuration it runs with. */
    public NvmfTargetConfig config()
    {
        return config;
    }

    /** @return the exported NVM subsystems, in the order given. */
    public List<Subsystem> subsystems()
    {
        return subsystemList;
    }

    /** @return connections accepted since start. */
    public long acceptedConnections()
    {
        return acceptedConnections.get();
    }

    /** @return connections closed with a C2HTermReq because of a malformed PDU. */
    public long terminations()
    {
        return terminations.get();
    }

    /** @return controllers torn down because their keep-alive timer expired. */
    public long keepAliveExpiries()
    {
        return keepAliveExpiries.get();
    }

    /** @return controllers alive now. */
    public int controllerCount()
    {
        return controllers.size();
    }

    /**
     * Attaches a namespace to a running subsystem under the lowest free NSID, and raises a Namespace
     * Attribute Changed notice (log page 0x04) on every controller of that subsystem whose host
     * enabled it.
     *
     * @param nqn       the subsystem.
     * @param namespace the namespace; stays the caller's.
     * @return its NSID.
     * @throws ConduitException {@code NOT_FOUND} when no subsystem has that NQN.
     */
    public long attachNamespace(final String nqn, final Namespace namespace)
    {
        final Subsystem subsystem = existing(nqn);
        final long nsid = subsystem.attach(namespace);
        notifyChanged(subsystem, nsid);
        return nsid;
    }

    /**
     * Detaches namespace {@code nsid} from a running subsystem: commands that arrive later get
     * Invalid Namespace, and hosts that enabled it get a Namespace Attribute Changed notice. Commands
     * already running on it finish; close the namespace only once hosts have stopped using it.
     *
     * @param nqn  the subsystem.
     * @param nsid the namespace ID.
     * @return the namespace detached.
     * @throws ConduitException {@code NOT_FOUND} when the subsystem or the namespace is not there.
     */
    public Namespace detachNamespace(final String nqn, final long nsid)
    {
        final Subsystem subsystem = existing(nqn);
        final Namespace detached = subsystem.detach(nsid);
        if (detached == null)
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, nqn + " has no namespace " + nsid);
        }
        notifyChanged(subsystem, nsid);
        return detached;
    }

    private Subsystem existing(final String nqn)
    {
        final Subsystem subsystem = subsystems.get(nqn);
        if (subsystem == null)
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, "no subsystem " + nqn + " on this target");
        }
        return subsystem;
    }

    private void notifyChanged(final Subsystem subsystem, final long nsid)
    {
        for (final Controller controller : List.copyOf(controllers.values()))
        {
            if (controller.subsystem() == subsystem)
            {
                controller.namespaceChanged(nsid);
            }
        }
    }

    Subsystem subsystem(final String nqn)
    {
        return subsystems.get(nqn);
    }

    /** The discovery log's generation counter: the subsystem set never changes while running. */
    long discoveryGeneration()
    {
        return 1;
    }

    ScheduledExecutorService timer()
    {
        return timer;
    }

    MemorySegment zeroes()
    {
        return zeroes;
    }

    void countTermination()
    {
        terminations.incrementAndGet();
    }

    void countKeepAliveExpiry()
    {
        keepAliveExpiries.incrementAndGet();
    }

    Controller controller(final int cntlid)
    {
        return controllers.get(cntlid);
    }

    /** @return a controller with a fresh ID, or {@code null} when every ID is taken. */
    synchronized Controller newController(final Subsystem subsystem, final String hostNqn, final QueueConnection admin)
    {
        for (int tries = 0; tries < MAX_CONTROLLER_ID; tries++)
        {
            final int cntlid = nextControllerId;
            nextControllerId = cntlid == MAX_CONTROLLER_ID ? 1 : cntlid + 1;
            if (!controllers.containsKey(cntlid))
            {
                final Controller controller = new Controller(this, cntlid, subsystem, hostNqn, admin, 0);
                controllers.put(cntlid, controller);
                return controller;
            }
        }
        return null;
    }

    void removeController(final Controller controller)
    {
        controllers.remove(controller.cntlid(), controller);
    }

    void onConnectionClosed(final QueueConnection connection)
    {
        connections.remove(connection);
        connectionsLock.lock();
        try
        {
            connectionsGone.signalAll();
        }
        finally
        {
            connectionsLock.unlock();
        }
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            try
            {
                final SocketChannel channel = server.accept();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                acceptedConnections.incrementAndGet();
                final QueueConnection connection = new QueueConnection(this, channel);
                connections.add(connection);
                if (closed)
                {
                    connection.close();
                }
                // A platform thread per connection: it blocks in the socket read itself, with no
                // poller wake-up and carrier hand-off per PDU wait (a queue lives as long as its host).
                Thread.ofPlatform().daemon().name("conduit-nvmf-queue").start(connection);
            }
            catch (final ClosedChannelException e)
            {
                return;
            }
            catch (final IOException e)
            {
                if (!closed)
                {
                    LOG.log(System.Logger.Level.WARNING, "nvmf: accept failed: {0}", e.toString());
                }
            }
        }
    }

    /**
     * Stops accepting, closes every connection and waits for their threads to let go (each waits
     * for its in-flight namespace I/O). The namespaces stay open.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeQuietly(server);
        for (final Controller controller : List.copyOf(controllers.values()))
        {
            controller.teardown();
        }
        for (final QueueConnection connection : List.copyOf(connections))
        {
            connection.close();
        }
        try
        {
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            connectionsLock.lock();
            try
            {
                long leftNs = deadlineNs - System.nanoTime();
                while (!connections.isEmpty() && leftNs > 0)
                {
                    leftNs = connectionsGone.awaitNanos(leftNs);
                }
            }
            finally
            {
                connectionsLock.unlock();
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        if (connections.isEmpty())
        {
            arena.close();
        }
        else
        {
            LOG.log(System.Logger.Level.ERROR, "nvmf: {0} connections still winding down at close", connections.size());
        }
    }
}
