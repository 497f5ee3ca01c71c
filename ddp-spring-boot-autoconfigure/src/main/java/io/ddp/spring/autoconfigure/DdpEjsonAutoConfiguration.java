package io.ddp.spring.autoconfigure;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.EjsonTypeRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for EJSON, shared by the DDP server and client. It extends the
 * application's Jackson {@link JsonMapper} (when Boot made one) with the EJSON module, so
 * DDP values follow the application's Jackson settings.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(JsonMapper.class)
public final class DdpEjsonAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EjsonTypeRegistry ddpEjsonTypeRegistry() {
		return EjsonTypeRegistry.withDefaults();
	}

	@Bean
	@ConditionalOnMissingBean
	Ejson ddpEjson(ObjectProvider<JsonMapper> jsonMapper, EjsonTypeRegistry types) {
		return new Ejson(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()), types);
	}

}
