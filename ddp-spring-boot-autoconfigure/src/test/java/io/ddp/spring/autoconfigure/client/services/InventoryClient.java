package io.ddp.spring.autoconfigure.client.services;

import io.ddp.spring.client.service.DdpCall;
import io.ddp.spring.client.service.DdpService;

/**
 * A declarative client whose connection name comes from a property.
 */
@DdpService(connection = "${inventory.connection:stock}")
public interface InventoryClient {

	@DdpCall("stock.count")
	long count(String sku);

}
