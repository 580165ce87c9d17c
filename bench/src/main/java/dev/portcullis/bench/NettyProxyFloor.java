package dev.portcullis.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A reference point for the load driver, not a product: the least a JVM reverse proxy does per request on
 * Netty alone, the library under Vert.x. A request is aggregated, sent to the one upstream over a
 * keep-alive connection of the same event loop, and its aggregated answer written back; no routing, no
 * header filtering, no authentication, no audit, no timeouts, no metrics. Its CPU per request is the floor
 * that any gateway written on this stack pays on this machine (target {@code netty-floor}).
 */
final class NettyProxyFloor implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel server;

    private NettyProxyFloor(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Starts the proxy on a free loopback port, with one event loop per processor, in front of the upstream. */
    static NettyProxyFloor start(String upstreamHost, int upstreamPort) throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(Runtime.getRuntime().availableProcessors());
        InetSocketAddress upstream = new InetSocketAddress(upstreamHost, upstreamPort);
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(10 << 20),
                                new Front(upstream));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return new NettyProxyFloor(group, server);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Idle upstream connections of one event loop (used from that event loop only). */
    private static final class Pool {
        private static final Map<EventLoop, Pool> POOLS = java.util.Collections.synchronizedMap(new IdentityHashMap<>());
        private final ArrayDeque<Channel> idle = new ArrayDeque<>();
        private final Bootstrap connect;

        private Pool(EventLoop loop, InetSocketAddress upstream) {
            connect = new Bootstrap().group(loop).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .remoteAddress(upstream)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(10 << 20), new Back());
                        }
                    });
        }

        static Pool of(EventLoop loop, InetSocketAddress upstream) {
            return POOLS.computeIfAbsent(loop, l -> new Pool(l, upstream));
        }

        void acquire(Consumer<Channel> then, Consumer<Throwable> failed) {
            Channel c;
            while ((c = idle.poll()) != null) {
                if (c.isActive()) {
                    then.accept(c);
                    return;
                }
            }
            connect.connect().addListener(f -> {
                if (f.isSuccess()) {
                    then.accept(((io.netty.channel.ChannelFuture) f).channel());
                } else {
                    failed.accept(f.cause());
                }
            });
        }

        void release(Channel c) {
            if (c.isActive()) {
                idle.push(c);
            }
        }
    }

    /** The client side: takes a request, answers it with the upstream's answer. */
    private static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final InetSocketAddress upstream;

        Front(InetSocketAddress upstream) {
            this.upstream = upstream;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, req.method(), req.uri(),
                    req.content().retain());
            out.headers().set(req.headers());
            Pool pool = Pool.of(ctx.channel().eventLoop(), upstream);
            pool.acquire(c -> {
                c.pipeline().get(Back.class).pending = resp -> {
                    FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, resp.status(),
                            resp.content().retain());
                    answer.headers().set(resp.headers());
                    pool.release(c);
                    ctx.writeAndFlush(answer);
                };
                c.writeAndFlush(out);
            }, e -> {
                out.release();
                FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
                bad.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(bad);
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();  // wrk resets its connections when it ends
        }
    }

    /** The upstream side: hands the answer to the request waiting for it. */
    private static final class Back extends SimpleChannelInboundHandler<FullHttpResponse> {
        private Consumer<FullHttpResponse> pending;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            Consumer<FullHttpResponse> p = pending;
            pending = null;
            if (p != null) {
                p.accept(resp);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
