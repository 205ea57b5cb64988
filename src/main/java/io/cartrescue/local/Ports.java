package io.cartrescue.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports for the local servers: they never listen on other interfaces. */
final class Ports {

    /** The only address the local servers bind to. */
    static final String HOST = "127.0.0.1";

    private static final InetAddress LOOPBACK = loopback();

    private Ports() {
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
        } catch (final java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Distinct ports that were free on 127.0.0.1 a moment ago. */
    static int[] free(final int count) throws IOException {
        final List<ServerSocket> sockets = new ArrayList<>();
        try {
            final int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                final ServerSocket socket = new ServerSocket(0, 1, LOOPBACK);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (final ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    static boolean isListening(final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    /** Whether 127.0.0.1:{@code port} can be bound, that is nothing listens on it any more. */
    static boolean isFree(final int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, LOOPBACK)) {
            return socket.getLocalPort() == port;
        } catch (final IOException e) {
            return false;
        }
    }
}
