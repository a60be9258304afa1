package io.hostrail.api.coupon;

import io.hostrail.adapters.r2dbc.coupon.R2dbcCoupons;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.catalog.port.out.Catalog;
import io.hostrail.coupon.service.CouponService;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

@Configuration(proxyBeanMethods = false)
public class CouponConfiguration {

    @Bean
    public CouponService couponService(DatabaseClient database, Catalog catalog, CustomerService customers,
            UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        return new CouponService(new R2dbcCoupons(database, clock), catalog, customers, unitOfWork, events, audit, ids, clock);
    }
}
