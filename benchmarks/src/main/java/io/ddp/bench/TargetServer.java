package io.ddp.bench;

/**
 * A started benchmark server (our JVM) or an external one (Meteor, without a process or
 * heap URL).
 *
 * @param name the variant's name, or {@code meteor}
 * @param pid the process to read CPU and RSS from
 * @param process the process, when the runner started it
 * @param baseWs {@code ws://host:port}
 * @param heapUrl the server's heap endpoint, for JVM servers
 */
record TargetServer(String name, long pid, Process process, String baseWs, String heapUrl) {
}
