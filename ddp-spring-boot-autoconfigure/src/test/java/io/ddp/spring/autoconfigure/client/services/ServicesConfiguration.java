package io.ddp.spring.autoconfigure.client.services;

import io.ddp.spring.client.service.ImportDdpServices;

import org.springframework.context.annotation.Configuration;

/**
 * Scans its own package for {@code @DdpService} interfaces.
 */
@Configuration(proxyBeanMethods = false)
@ImportDdpServices
public class ServicesConfiguration {

}
