// The silo deletion test runs real processes under load on a small machine; the schema
// check runs the TypeScript compiler. Run the classes one after another so neither starves
// the other into a timeout.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
