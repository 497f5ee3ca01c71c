package io.ddp.spring.server.publication;

import java.lang.reflect.Method;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.AbstractDdpAnnotationBeanPostProcessor;

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

	public DdpPublicationAnnotationBeanPostProcessor() {
		super(DdpPublication.class);
	}

	@Override
	protected void register(BeanFactory beanFactory, Object bean, String beanName, Method invocable, Method declared,
			DdpPublication annotation) {
		DdpPublicationRegistry registry = beanFactory.getBean(DdpPublicationRegistry.class);
		AnnotatedPublicationHandler handler = new AnnotatedPublicationHandler(bean, beanName, invocable,
				beanFactory.getBean(Ejson.class), validator(beanFactory));
		if (annotation.universal()) {
			registry.registerUniversal(handler);
		}
		else {
			registry.register(StringUtils.hasText(annotation.name()) ? annotation.name() : declared.getName(), handler);
		}
	}

}
