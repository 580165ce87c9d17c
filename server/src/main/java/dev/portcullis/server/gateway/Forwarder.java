package dev.portcullis.server.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.future.PromiseInternal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Sends requests to upstreams over pooled keep-alive HTTP/1.1 connections, with a whole-exchange deadline.
 *
 * <p>The client is Netty's HTTP codec on the event loops of the caller's Vert.x context, not Vert.x's
 * {@code HttpClient}: each event loop keeps its own pool per upstream ({@value #POOL_SIZE} connections,
 * then requests wait for one), so an upstream connection is always served by the event loop of the
 * gateway request using it and a pool needs no lock. Measured against Vert.x's client on the same
 * server, this saves most of what Vert.x adds over bare Netty per proxied request ({@code
 * docs/benchmarks.md}, run 10). Host names are resolved by Vert.x's asynchronous resolver; {@code https}
 * upstreams are verified against the JVM's trust store, with their host name checked (as Vert.x's client
 * does by default) and sent as SNI. An idle connection is closed after {@value #IDLE_SECONDS} s, as
 * Vert.x's client does.
 *
 * <p>An upstream may close an idle keep-alive connection just as a request is sent on it (its own idle
 * timeout: 5 s for Node.js, for instance). When a reused connection fails before any byte of an answer,
 * the request is sent once more on a new connection, within the same deadline, if that cannot make the
 * upstream act twice: its method is idempotent (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE)
 * or it carries an {@code Idempotency-Key}, or writing it failed (nothing reached the upstream). This
 * is the rule of Go's {@code http.Transport}, with nginx's idempotent methods ({@code proxy_next_upstream}
 * without {@code non_idempotent}). Any other failure is the caller's 502. Thread-safe; callbacks run on
 * the caller's context.
 */
final class Forwarder {

    /** A request to an upstream. */
    record Outgoing(String method, String url, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    /** An upstream's answer: its header lines in the order received. */
    record Answer(int status, HttpHeaders headers, byte[] body) {
    }

    /** API Gateway's limit on an integration's response: 10 MB. */
    static final long MAX_RESPONSE_BYTES = 10L * 1024 * 1024;

    /** An upstream answer over the size limit (a 502, never buffered beyond the limit). */
    static final class ResponseTooLarge extends IOException {
        ResponseTooLarge(long limit) {
            super("upstream response larger than " + limit + " bytes", null);
        }
    }

    /** Upstream connections per upstream and event loop. */
    static final int POOL_SIZE = 64;
    /** A pooled connection unused this long is closed. */
    static final int IDLE_SECONDS = 60;
    /** Connecting (TCP) gives up after this long, or the exchange's deadline if that comes first. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_LINE_AND_HEADERS = 64 * 1024;

    private final VertxInternal vertx;
    private final long maxResponseBytes;
    private final SslContext tls;
    /** Each event loop's pools, keyed by upstream; a pool is used only on its event loop. */
    private final ConcurrentHashMap<EventLoop, Map<Base, Pool>> pools = new ConcurrentHashMap<>();
    private final ChannelGroup channels = new DefaultChannelGroup("gateway-upstreams", GlobalEventExecutor.INSTANCE);
    private volatile boolean closed;

    Forwarder(Vertx vertx) {
        this(vertx, MAX_RESPONSE_BYTES, null);
    }

    Forwarder(Vertx vertx, long maxResponseBytes) {
        this(vertx, maxResponseBytes, null);
    }

    /** {@code tls} verifies {@code https} upstreams; {@code null} for the JVM's trust store. */
    Forwarder(Vertx vertx, long maxResponseBytes, SslContext tls) {
        this.vertx = (VertxInternal) vertx;
        this.maxResponseBytes = maxResponseBytes;
        try {
            this.tls = tls != null ? tls : SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for upstreams", e);
        }
    }

    /** Where an upstream base ({@code scheme://host[:port]}) points; routes have few, requests repeat them. */
    private record Base(String host, int port, boolean ssl) {
    }

    private final ConcurrentHashMap<String, Base> bases = new ConcurrentHashMap<>();

    /**
     * Request options for an absolute {@code url}: what {@link RequestOptions#setAbsoluteURI(String)} sets
     * (host, port with 80/443 by default, TLS for https, the path and query, {@code /} when empty), without
     * parsing a {@code java.net.URL} per request for plain {@code http(s)://host[:port]/…} URLs; anything
     * else (user info, IPv6 literals, fragments) still goes through {@code setAbsoluteURI}.
     */
    static RequestOptions options(String url, java.util.Map<String, Base> cache) {
        boolean ssl = url.startsWith("https://");
        int authority = ssl ? 8 : url.startsWith("http://") ? 7 : -1;
        int end = authority < 0 ? -1 : indexOfAny(url, authority);
        if (end <= authority || url.indexOf('#') >= 0) {
            return new RequestOptions().setAbsoluteURI(url);
        }
        String prefix = url.substring(0, end);
        Base base = cache.get(prefix);
        if (base == null) {
            String hostPort = url.substring(authority, end);
            if (hostPort.indexOf('@') >= 0 || hostPort.indexOf('[') >= 0) {
                return new RequestOptions().setAbsoluteURI(url);
            }
            int colon = hostPort.indexOf(':');
            int port;
            try {
                port = colon < 0 ? (ssl ? 443 : 80) : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return new RequestOptions().setAbsoluteURI(url);
            }
            if (port < 0 || port > 65_535 || colon == 0) {
                return new RequestOptions().setAbsoluteURI(url);
            }
            base = new Base(colon < 0 ? hostPort : hostPort.substring(0, colon), port, ssl);
            if (cache.size() >= 10_000) {
                cache.clear();
            }
            cache.put(prefix, base);
        }
        String rest = url.substring(end);
        String uri = rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
        return new RequestOptions().setHost(base.host()).setPort(base.port()).setSsl(base.ssl()).setURI(uri);
    }

    private RequestOptions target(String url) {
        return options(url, bases);
    }

    private static int indexOfAny(String url, int from) {
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?') {
                return i;
            }
        }
        return url.length();
    }

    /** Sends {@code out}; fails with {@link TimeoutException} when no full answer came within {@code timeoutMillis}. */
    Future<Answer> send(Outgoing out, long timeoutMillis) {
        ContextInternal context = vertx.getOrCreateContext();
        PromiseInternal<Answer> result = context.promise();
        Exchange x;
        try {
            RequestOptions target = target(out.url());
            x = new Exchange(context, result, out, HttpMethod.valueOf(out.method()), target, Math.max(1, timeoutMillis));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        EventLoop loop = context.nettyEventLoop();
        if (loop.inEventLoop()) {
            x.start(loop);
        } else {
            loop.execute(() -> x.start(loop));
        }
        return result.future();
    }

    /** Closes every upstream connection; later sends fail. */
    Future<Void> close() {
        closed = true;
        Promise<Void> done = Promise.promise();
        channels.close().addListener(f -> done.complete());
        return done.future();
    }

    private Pool pool(EventLoop loop, RequestOptions target) {
        Map<Base, Pool> mine = pools.computeIfAbsent(loop, l -> new HashMap<>());
        Base base = new Base(target.getHost(), target.getPort(), Boolean.TRUE.equals(target.isSsl()));
        Pool pool = mine.get(base);
        if (pool == null) {
            if (mine.size() >= 10_000) {  // upstreams come from routes: this many means churn, not load
                mine.values().removeIf(p -> p.open == 0);
            }
            pool = new Pool(loop, base);
            mine.put(base, pool);
        }
        return pool;
    }

    /** One event loop's connections to one upstream. Used on that event loop only. */
    private final class Pool {
        private final Base base;
        private final Bootstrap bootstrap;
        private final ArrayDeque<Channel> idle = new ArrayDeque<>();
        private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
        private final String hostHeader;
        private int open;

        Pool(EventLoop loop, Base base) {
            this.base = base;
            String host = base.host().startsWith("[") ? base.host().substring(1, base.host().length() - 1) : base.host();
            String literal = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            this.hostHeader = base.port() == (base.ssl() ? 443 : 80) ? literal : literal + ":" + base.port();
            this.bootstrap = new Bootstrap().group(loop).channelFactory(vertx.transport().channelFactory(false))
                    .resolver(vertx.nettyAddressResolverGroup())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                    .remoteAddress(InetSocketAddress.createUnresolved(host, base.port()))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (base.ssl()) {
                                SslHandler ssl = tls.newHandler(ch.alloc(), host, base.port());
                                SSLEngine engine = ssl.engine();
                                SSLParameters params = engine.getSSLParameters();
                                params.setEndpointIdentificationAlgorithm("HTTPS");
                                engine.setSSLParameters(params);
                                ch.pipeline().addLast(ssl);
                            }
                            ch.pipeline().addLast(new HttpClientCodec(MAX_LINE_AND_HEADERS, MAX_LINE_AND_HEADERS, 8192),
                                    new IdleStateHandler(0, 0, IDLE_SECONDS), new Link(Pool.this));
                        }
                    });
        }

        void acquire(Exchange x) {
            Channel c;
            while ((c = idle.pollLast()) != null) {  // the most recently used connection is the likeliest alive
                if (c.isActive()) {
                    x.use(c, true);
                    return;
                }
            }
            if (open < POOL_SIZE) {
                connect(x);
            } else {
                waiting.addLast(x);
            }
        }

        /**
         * A new connection for a request sent again (an idle one may be as stale as the one that failed), or the
         * next one handed back when the pool is full.
         */
        void acquireNew(Exchange x) {
            if (open < POOL_SIZE) {
                connect(x);
            } else {
                waiting.addFirst(x);
            }
        }

        private void connect(Exchange x) {
            open++;
            bootstrap.connect().addListener((io.netty.channel.ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    open--;
                    x.fail(f.cause());
                    connectForWaiter();
                    return;
                }
                Channel c = f.channel();
                channels.add(c);
                c.closeFuture().addListener(gone -> {
                    open--;
                    idle.remove(c);
                    connectForWaiter();
                });
                if (closed) {
                    c.close();
                }
                x.use(c, false);
            });
        }

        /** Hands a connection back: to a waiting request, to the idle ones, or closed if it cannot be reused. */
        void release(Channel c, boolean reusable) {
            if (!reusable || !c.isActive() || closed) {
                c.close();
                return;
            }
            Exchange next;
            while ((next = waiting.pollFirst()) != null) {
                if (!next.done) {
                    next.use(c, true);
                    return;
                }
            }
            idle.addLast(c);
        }

        private void connectForWaiter() {
            Exchange next;
            while (open < POOL_SIZE && (next = waiting.pollFirst()) != null) {
                if (!next.done) {
                    connect(next);
                }
            }
        }
    }

    /** A connection's inbound end: passes what the upstream sends to the exchange using the connection. */
    private static final class Link extends ChannelInboundHandlerAdapter {
        private final Pool pool;
        private Exchange current;

        Link(Pool pool) {
            this.pool = pool;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                Exchange x = current;
                if (x == null) {
                    ctx.close();  // an answer nobody asked for: the connection's framing cannot be trusted
                } else if (msg instanceof HttpObject o) {
                    x.read(o);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange x = current;
            if (x != null) {
                x.lost(new IOException("upstream closed the connection before answering"), false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange x = current;
            if (x != null) {
                x.lost(cause, false);
            }
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent && current == null) {
                ctx.close();
            }
        }
    }

    /** One request and its answer; runs on its pool's event loop. */
    private final class Exchange implements Runnable {
        private final ContextInternal context;
        private final PromiseInternal<Answer> result;
        private final Outgoing out;
        private final HttpMethod method;
        private final RequestOptions target;
        private final long timeoutMillis;
        private Pool pool;
        private Channel channel;
        private Link link;
        private ScheduledFuture<?> timer;
        private HttpResponse head;
        private CompositeByteBuf body;
        private long received;
        private boolean interim;
        /** The connection came from the pool's idle ones, or from a request that finished with it. */
        private boolean reused;
        /** Some of an answer (an interim one included) came on this exchange's connection. */
        private boolean answered;
        private boolean sentAgain;
        boolean done;

        Exchange(ContextInternal context, PromiseInternal<Answer> result, Outgoing out, HttpMethod method,
                 RequestOptions target, long timeoutMillis) {
            this.context = context;
            this.result = result;
            this.out = out;
            this.method = method;
            this.target = target;
            this.timeoutMillis = timeoutMillis;
        }

        void start(EventLoop loop) {
            if (closed) {
                fail(new IOException("the gateway is closing"));
                return;
            }
            timer = loop.schedule(this, timeoutMillis, TimeUnit.MILLISECONDS);
            try {
                pool = pool(loop, target);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            pool.acquire(this);
        }

        /** The deadline. */
        @Override
        public void run() {
            if (pool != null) {
                pool.waiting.remove(this);
            }
            fail(new TimeoutException("upstream did not answer within " + timeoutMillis + " ms"));
        }

        void use(Channel c, boolean reused) {
            if (done) {
                pool.release(c, true);
                return;
            }
            this.reused = reused;
            channel = c;
            link = c.pipeline().get(Link.class);
            link.current = this;
            ByteBuf content = out.body().length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(out.body());
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target.getURI(), content);
            HttpHeaders h = req.headers();
            for (Map.Entry<String, String> e : out.headers()) {
                h.add(e.getKey(), e.getValue());
            }
            h.set(HttpHeaderNames.HOST, pool.hostHeader);
            if (content.isReadable() || !bodyless(method)) {
                h.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            }
            c.writeAndFlush(req).addListener(f -> {
                if (!f.isSuccess() && channel == c) {
                    lost(f.cause(), true);
                }
            });
        }

        /**
         * The connection failed or closed mid-exchange: sent again on a new connection when the class comment's
         * rule allows it, else a failure.
         */
        void lost(Throwable cause, boolean writeFailed) {
            if (done) {
                return;
            }
            if (reused && !answered && !sentAgain && !closed && (writeFailed || replayable())) {
                sentAgain = true;
                link.current = null;
                channel.close();
                channel = null;
                link = null;
                pool.acquireNew(this);
                return;
            }
            fail(cause);
        }

        private boolean replayable() {
            if (IDEMPOTENT.contains(method)) {
                return true;
            }
            for (Map.Entry<String, String> h : out.headers()) {
                if (h.getKey().equalsIgnoreCase("idempotency-key")) {
                    return true;
                }
            }
            return false;
        }

        void read(HttpObject msg) {
            if (done) {
                return;
            }
            answered = true;
            if (msg.decoderResult().isFailure()) {
                fail(new IOException("malformed upstream response", msg.decoderResult().cause()));
                return;
            }
            if (msg instanceof HttpResponse r) {
                int status = r.status().code();
                interim = status >= 100 && status < 200 && status != 101;  // 100 Continue and the like: not the answer
                if (!interim) {
                    head = r;
                    if (HttpUtil.getContentLength(r, -1L) > maxResponseBytes) {
                        fail(new ResponseTooLarge(maxResponseBytes));
                        return;
                    }
                }
            }
            if (msg instanceof HttpContent c) {
                if (interim) {
                    interim = !(msg instanceof LastHttpContent);
                    return;
                }
                ByteBuf chunk = c.content();
                if (chunk.isReadable()) {
                    received += chunk.readableBytes();
                    if (received > maxResponseBytes) {
                        fail(new ResponseTooLarge(maxResponseBytes));
                        return;
                    }
                    if (body == null) {
                        body = channel.alloc().compositeBuffer(64);
                    }
                    body.addComponent(true, chunk.retain());
                }
                if (msg instanceof LastHttpContent) {
                    complete();
                }
            }
        }

        private void complete() {
            done = true;
            timer.cancel(false);
            link.current = null;
            byte[] bytes;
            if (body == null) {
                bytes = new byte[0];
            } else {
                bytes = new byte[body.readableBytes()];
                body.readBytes(bytes);
                body.release();
                body = null;
            }
            HttpResponse answer = head;
            pool.release(channel, HttpUtil.isKeepAlive(answer));
            context.emit(new Answer(answer.status().code(), answer.headers(), bytes), result::tryComplete);
        }

        void fail(Throwable cause) {
            if (done) {
                return;
            }
            done = true;
            if (timer != null) {
                timer.cancel(false);
            }
            if (body != null) {
                body.release();
                body = null;
            }
            if (channel != null) {
                link.current = null;
                channel.close();  // mid-exchange: the connection's state is unknown
            }
            context.emit(cause, result::tryFail);
        }
    }

    /** RFC 9110 §9.2.2's idempotent methods: sent again after a stale connection failed them. */
    private static final java.util.Set<HttpMethod> IDEMPOTENT = java.util.Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    /** Methods whose requests carry no body unless they have one: no {@code Content-Length: 0} for them. */
    private static boolean bodyless(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.DELETE
                || method == HttpMethod.OPTIONS || method == HttpMethod.TRACE;
    }
}
