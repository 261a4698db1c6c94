using TaskGrid.Silo;
using TaskGrid.Silo.Health;

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddSilo();

var app = builder.Build();
app.MapSiloHealth();
await app.RunAsync();
