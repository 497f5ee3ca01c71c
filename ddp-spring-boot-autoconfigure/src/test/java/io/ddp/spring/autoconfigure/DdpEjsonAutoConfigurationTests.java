package io.ddp.spring.autoconfigure;

import java.util.Date;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.EjsonTypeRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpEjsonAutoConfiguration}.
 */
class DdpEjsonAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DdpEjsonAutoConfiguration.class));

	@Test
	void contributesEjsonWithTheDefaultTypes() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Ejson.class);
			assertThat(context).hasSingleBean(EjsonTypeRegistry.class);
			Ejson ejson = context.getBean(Ejson.class);
			assertThat(ejson.types()).isSameAs(context.getBean(EjsonTypeRegistry.class));
			assertThat(ejson.stringify(new Date(0))).isEqualTo("{\"$date\":0}");
		});
	}

	@Test
	void ejsonExtendsTheApplicationsJsonMapper() {
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			Ejson ejson = context.getBean(Ejson.class);
			assertThat(ejson.stringify(new Named("x"))).isEqualTo("{\"first_name\":\"x\"}");
		});
	}

	@Test
	void withoutBootsJsonMapperEjsonHasItsOwn() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DdpEjsonAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(JsonMapper.class);
				assertThat(context.getBean(Ejson.class).stringify(new Named("x"))).isEqualTo("{\"firstName\":\"x\"}");
			});
	}

	@Test
	void backsOffWithoutJackson3() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Ejson.class)
				.doesNotHaveBean(EjsonTypeRegistry.class));
	}

	@Test
	void ejsonBacksOffForTheApplicationsOwn() {
		Ejson own = Ejson.createDefault();
		this.contextRunner.withBean(Ejson.class, () -> own)
			.run((context) -> assertThat(context).getBean(Ejson.class).isSameAs(own));
	}

	@Test
	void typeRegistryBacksOffForTheApplicationsOwnAndEjsonUsesIt() {
		EjsonTypeRegistry own = EjsonTypeRegistry.withDefaults();
		this.contextRunner.withBean(EjsonTypeRegistry.class, () -> own).run((context) -> {
			assertThat(context).getBean(EjsonTypeRegistry.class).isSameAs(own);
			assertThat(context.getBean(Ejson.class).types()).isSameAs(own);
		});
	}

	record Named(String firstName) {
	}

}
