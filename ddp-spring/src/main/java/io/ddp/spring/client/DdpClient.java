package io.ddp.spring.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Selects the {@link DdpConnection} configured under
 * {@code ddp.client.connections.<name>} at an injection point: a field, a constructor or
 * {@code @Bean} method parameter, or a setter.
 *
 * <pre class="code">
 * &#64;Service
 * class Orders {
 *
 *     private final DdpConnection remote;
 *
 *     Orders(&#64;DdpClient("remote") DdpConnection remote) {
 *         this.remote = remote;
 *     }
 *
 * }
 * </pre>
 *
 * <p>
 * Each configured connection is a real bean qualified with its name, so standard
 * autowiring serves every kind of injection point and
 * {@code @MockitoBean @DdpClient("remote")
 * DdpConnection} replaces it in tests. A name that is not configured fails startup.
 *
 * @since 0.1.0
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface DdpClient {

	/**
	 * The connection name, as in {@code ddp.client.connections.<name>}.
	 * @return the name
	 */
	String value();

}
