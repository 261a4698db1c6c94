// One scenario at a time: one of them stops the PostgreSQL server every test shares, and all of
// them load the two cores enough to disturb another scenario's timing.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
