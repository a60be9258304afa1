-- Add-on subscriptions: an add-on product is ordered onto a subscription of a product that offers it, billed on its
-- own cycle, and follows its parent's life (suspended, cancelled and terminated with it). The parent is fixed at the
-- order; the foreign key keeps it inside the tenant.
ALTER TABLE subscription ADD COLUMN parent_id uuid;
ALTER TABLE subscription ADD CONSTRAINT subscription_parent_fk
    FOREIGN KEY (tenant_id, parent_id) REFERENCES subscription (tenant_id, id);
ALTER TABLE subscription ADD CONSTRAINT subscription_not_own_parent CHECK (parent_id <> id);
CREATE INDEX subscription_parent_idx ON subscription (tenant_id, parent_id, id) WHERE parent_id IS NOT NULL;
