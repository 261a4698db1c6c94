using TaskGrid.Gateway.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddGateway();

var app = builder.Build();
app.MapGateway();
await app.RunAsync();

/// <summary>The gateway's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
