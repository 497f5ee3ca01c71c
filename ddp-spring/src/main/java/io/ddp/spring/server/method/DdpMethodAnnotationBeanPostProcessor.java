package io.ddp.spring.server.method;

import java.lang.reflect.Method;

import io.ddp.spring.protocol.Ejson;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.StringUtils;

/**
 * Registers every {@link DdpMethod} of every bean, AOP proxies included, in the
 * {@link DdpMethodRegistry}. A second method with a name already taken fails startup with
 * a message naming both beans.
 *
 * @since 0.1.0
 */
public class DdpMethodAnnotationBeanPostProcessor extends AbstractDdpAnnotationBeanPostProcessor<DdpMethod> {

	public DdpMethodAnnotationBeanPostProcessor() {
		super(DdpMethod.class);
	}

	@Override
	protected void register(BeanFactory beanFactory, Object bean, String beanName, Method invocable, Method declared,
			DdpMethod annotation) {
		String name = StringUtils.hasText(annotation.name()) ? annotation.name() : declared.getName();
		beanFactory.getBean(DdpMethodRegistry.class)
			.register(name, new AnnotatedMethodHandler(bean, beanName, invocable, beanFactory.getBean(Ejson.class),
					validator(beanFactory)));
	}

}
