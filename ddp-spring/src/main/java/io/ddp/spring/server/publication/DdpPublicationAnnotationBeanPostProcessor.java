package io.ddp.spring.server.publication;

import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Supplier;

import io.ddp.spring.server.method.AbstractDdpAnnotationBeanPostProcessor;
import io.ddp.spring.server.method.DdpArgumentResolver;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.StringUtils;

/**
 * Registers every {@link DdpPublication} of every bean, AOP proxies included, in the
 * {@link DdpPublicationRegistry}. A second publication with a name already taken fails
 * startup with a message naming both beans.
 *
 * @since 0.1.0
 */
public class DdpPublicationAnnotationBeanPostProcessor extends AbstractDdpAnnotationBeanPostProcessor<DdpPublication> {

	/**
	 * Create a post-processor with the built-in argument resolvers.
	 */
	public DdpPublicationAnnotationBeanPostProcessor() {
		super(DdpPublication.class);
	}

	/**
	 * Create a post-processor with custom argument resolvers as well.
	 * @param customResolvers supplies the custom resolvers, asked for once
	 */
	public DdpPublicationAnnotationBeanPostProcessor(Supplier<List<DdpArgumentResolver>> customResolvers) {
		super(DdpPublication.class, customResolvers);
	}

	@Override
	protected DdpArgumentResolver sourceResolver() {
		return DdpArgumentResolver.forType(ServerSubscription.class,
				(context) -> context.source(ServerSubscription.class));
	}

	@Override
	protected void register(BeanFactory beanFactory, Object bean, String beanName, Method invocable, Method declared,
			DdpPublication annotation) {
		DdpPublicationRegistry registry = beanFactory.getBean(DdpPublicationRegistry.class);
		AnnotatedPublicationHandler handler = new AnnotatedPublicationHandler(beanName,
				invocable(beanFactory, bean, invocable));
		if (annotation.universal()) {
			registry.registerUniversal(handler);
		}
		else {
			registry.register(StringUtils.hasText(annotation.name()) ? annotation.name() : declared.getName(), handler);
		}
	}

}
