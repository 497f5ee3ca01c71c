package io.ddp.spring.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Adds a {@link io.ddp.spring.test.tester.DdpTester} bean to the test's application
 * context, the way {@code @AutoConfigureMockMvc} adds a {@code MockMvc}: in process when
 * no server listens ({@code @SpringBootTest} with its default mock environment), over a
 * real WebSocket to {@code ws://localhost:${local.server.port}/websocket} when one does
 * ({@code webEnvironment = RANDOM_PORT} or {@code DEFINED_PORT}).
 *
 * @since 0.1.0
 * @see DdpTesterAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("ddp.test.tester")
public @interface AutoConfigureDdpTester {

	/**
	 * How the tester reaches the server; {@link DdpTesterTransport#AUTO} by default.
	 * @return the transport
	 */
	DdpTesterTransport transport() default DdpTesterTransport.AUTO;

	/**
	 * The user id the tester's connections log in as; none by default. Another user is
	 * one {@code tester.mutate().userId("u2").build()} away.
	 * @return the user id, empty for none
	 */
	String userId() default "";

}
