package dev.portcullis.server.gateway;

import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.util.List;
import java.util.Map;

/**
 * A node in a child JVM for {@link GatewayCrashTest}: starts on {@code args[0]} (data directory) with the
 * bootstrap file {@code args[1]}, prints {@code READY apiPort gatewayPort}, and runs until killed.
 */
public final class GatewayCrashChild {

    private GatewayCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("gateway-port", 0).flag("data-dir", args[0]).load();
        PortcullisNode node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, "111122223333",
                PortcullisNode.ENV_ROOT_KEY_ID, GatewayCrashTest.ROOT_KEY,
                PortcullisNode.ENV_ROOT_SECRET, GatewayCrashTest.ROOT_SECRET,
                GatewayBootstrap.ENV_FILE, args[1]), parts -> List.of());
        System.out.println("READY " + node.port() + " " + node.gatewayPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
