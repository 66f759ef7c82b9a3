// Architecture rules of ARCHITECTURE.md §2: dependencies point toward Core, Platform and Client
// never reference each other, and P/Invoke and unsafe code live only in Platform.
using System.Reflection;
using System.Runtime.InteropServices;
using NetArchTest.Rules;

namespace Stratum.Architecture.Tests;

public class DependencyRulesTests
{
    private static readonly Assembly s_core = typeof(Stratum.Core.Time.NtpTimestamp).Assembly;
    private static readonly Assembly s_engine = typeof(Stratum.Engine.NtpEngine).Assembly;
    private static readonly Assembly s_platform = typeof(Stratum.Platform.Clock.IClockDriver).Assembly;
    private static readonly Assembly s_client = LoadByName("Stratum.Client");

    private static Assembly LoadByName(string name) => Assembly.Load(new AssemblyName(name));

    public static TheoryData<string, string[]> ForbiddenReferences => new()
    {
        { "Stratum.Core", ["Stratum.Engine", "Stratum.Platform", "Stratum.Client", "Microsoft.Extensions", "System.CommandLine"] },
        { "Stratum.Engine", ["Stratum.Platform", "Stratum.Client", "Microsoft.Extensions", "System.CommandLine"] },
        { "Stratum.Platform", ["Stratum.Client", "System.CommandLine"] },
        { "Stratum.Client", ["Stratum.Engine", "Stratum.Platform", "Microsoft.Extensions", "System.CommandLine"] },
    };

    [Theory]
    [MemberData(nameof(ForbiddenReferences))]
    public void Project_DependsOnlyTowardCore(string assemblyName, string[] forbidden)
    {
        Assembly assembly = LoadByName(assemblyName);
        NetArchTest.Rules.TestResult result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful, $"{assemblyName} types depend on a forbidden assembly: {string.Join(", ", result.FailingTypeNames ?? [])}");
        foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
        {
            Assert.DoesNotContain(forbidden, f => reference.Name!.StartsWith(f, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void NativeInterop_OnlyInPlatform()
    {
        foreach (Assembly assembly in new[] { s_core, s_engine, s_client })
        {
            Assert.Null(assembly.ManifestModule.GetCustomAttribute<System.Security.UnverifiableCodeAttribute>());
            foreach (Type type in assembly.GetTypes())
            {
                foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                {
                    Assert.False(method.Attributes.HasFlag(MethodAttributes.PinvokeImpl), $"{type.FullName}.{method.Name} is a P/Invoke outside Platform");
                    Assert.Null(method.GetCustomAttribute<LibraryImportAttribute>());
                }
            }
        }
    }

    [Fact]
    public void Platform_IsWherePInvokesLive()
    {
        bool found = s_platform.GetTypes().Any(t => t.GetMethods(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Any(m => m.Attributes.HasFlag(MethodAttributes.PinvokeImpl)));
        Assert.True(found);
    }
}
