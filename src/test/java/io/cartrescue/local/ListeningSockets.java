package io.cartrescue.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The TCP sockets a process listens on, read from Linux's {@code /proc}, to prove what it binds. */
final class ListeningSockets {

    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    static List<InetSocketAddress> of(final long pid) throws IOException {
        final Set<String> inodes = socketInodes(pid);
        final List<InetSocketAddress> listening = new ArrayList<>();
        for (final String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            final Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            for (final String line : Files.readAllLines(path).subList(1, Files.readAllLines(path).size())) {
                final String[] columns = line.trim().split("\\s+");
                if (columns[3].equals(LISTEN) && inodes.contains(columns[9])) {
                    listening.add(address(columns[1]));
                }
            }
        }
        return listening;
    }

    private static Set<String> socketInodes(final long pid) throws IOException {
        final Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (final Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    final Matcher socket = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
                    if (socket.matches()) {
                        inodes.add(socket.group(1));
                    }
                } catch (final IOException closedMeanwhile) {
                    // File descriptors come and go while we look.
                }
            }
        }
        return inodes;
    }

    /** Decodes {@code 0100007F:1F90} (IPv4) or 32 hex digits plus port (IPv6), each 32-bit word little-endian. */
    private static InetSocketAddress address(final String hex) throws IOException {
        final String[] parts = hex.split(":");
        final byte[] raw = HexFormat.of().parseHex(parts[0]);
        final byte[] address = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = raw[word + 3 - i];
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
    }
}
