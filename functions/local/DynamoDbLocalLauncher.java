import java.lang.reflect.Field;
import java.net.BindException;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local bound to 127.0.0.1 only.
 *
 * <p>DynamoDB Local's own main binds every interface, which would expose an unauthenticated
 * database to the network. Its proxy server keeps the Jetty server in a private field with no
 * setter, so we reach it by reflection and set the connector's host before starting.
 *
 * <p>Run with java 17's single-file source launch (no build step):
 * {@code java -cp "DynamoDBLocal.jar:DynamoDBLocal_lib/*" DynamoDbLocalLauncher.java -port 0 -inMemory -sharedDb}
 *
 * <p>Protocol with the parent (functions/local/dynamodb-local.ts), one line each on stdout:
 * {@code DYNAMODB_LOCAL_READY <port>} once the socket is bound (so -port 0 reports the port the
 * kernel picked), or, on stderr, {@code DYNAMODB_LOCAL_PORT_IN_USE <port>} and exit code 98.
 */
public final class DynamoDbLocalLauncher {
  private static final String HOST = "127.0.0.1";
  private static final int EXIT_PORT_IN_USE = 98;
  private static final int EXIT_FAILED = 1;

  private DynamoDbLocalLauncher() {}

  public static void main(String[] args) throws Exception {
    int requestedPort = requestedPort(args);
    // The CLI rejects -port 0, so parse with a placeholder and let Jetty pick the port instead.
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(
        requestedPort == 0 ? withPort(args, ServerRunner.DEFAULT_PORT) : args);
    Server jetty = jettyOf(proxy);
    ServerConnector connector = onlyConnector(jetty);
    connector.setHost(HOST);
    connector.setPort(requestedPort);

    try {
      // safeStart, unlike start, lets a bind failure escape instead of printing it and returning.
      proxy.safeStart();
    } catch (Exception error) {
      if (causedByBind(error)) {
        System.err.println("DYNAMODB_LOCAL_PORT_IN_USE " + requestedPort);
        System.exit(EXIT_PORT_IN_USE);
      }
      System.err.println("DYNAMODB_LOCAL_FAILED " + oneLine(error));
      System.exit(EXIT_FAILED);
    }

    System.out.println("DYNAMODB_LOCAL_READY " + connector.getLocalPort());
    System.out.flush();

    // The parent owns our lifetime; if it vanishes without killing us, stdin closes and we exit.
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Drain; the parent never writes.
        }
      } catch (Exception ignored) {
        // A broken pipe means the same as end of input.
      }
      Runtime.getRuntime().halt(0);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    proxy.join();
  }

  private static int requestedPort(String[] args) {
    for (int i = 0; i < args.length - 1; i++) {
      if ("-port".equals(args[i])) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return ServerRunner.DEFAULT_PORT;
  }

  private static String[] withPort(String[] args, int port) {
    String[] copy = args.clone();
    for (int i = 0; i < copy.length - 1; i++) {
      if ("-port".equals(copy[i])) {
        copy[i + 1] = Integer.toString(port);
      }
    }
    return copy;
  }

  private static Server jettyOf(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    return (Server) field.get(proxy);
  }

  private static ServerConnector onlyConnector(Server jetty) {
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length != 1 || !(connectors[0] instanceof ServerConnector)) {
      throw new IllegalStateException("Expected one ServerConnector, found " + connectors.length + " connectors");
    }
    return (ServerConnector) connectors[0];
  }

  private static boolean causedByBind(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
      if (cause.getMessage() != null && cause.getMessage().contains("Failed to bind")) {
        return true;
      }
    }
    return false;
  }

  private static String oneLine(Throwable error) {
    String message = String.valueOf(error.getMessage());
    return error.getClass().getName() + ": " + message.replaceAll("\\s+", " ");
  }
}
