package io.ddp.bench;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Optional Tomcat tuning for the memory scenario, off unless {@code bench.tomcat.socket-buffer-size}
 * is set: the size of the NIO connector's per-connection application read and write buffers
 * ({@code socket.appReadBufSize}, {@code socket.appWriteBufSize}, 8 KiB each by default). Only
 * loaded when Tomcat is on the classpath.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
@ConditionalOnProperty("bench.tomcat.socket-buffer-size")
class TomcatTuning {

	@Bean
	TomcatConnectorCustomizer benchSocketBuffers(@Value("${bench.tomcat.socket-buffer-size}") int size) {
		return (connector) -> {
			connector.setProperty("socket.appReadBufSize", Integer.toString(size));
			connector.setProperty("socket.appWriteBufSize", Integer.toString(size));
		};
	}

}
