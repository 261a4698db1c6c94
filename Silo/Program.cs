using TaskGrid.Silo;
using TaskGrid.Silo.Health;
using TaskGrid.Silo.Security;

// First of all: scripts this silo runs must not read its secrets through /proc.
ProcessHardening.MakeNonDumpable();

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddSilo();

var app = builder.Build();
app.MapSiloHealth();
await app.RunAsync();
