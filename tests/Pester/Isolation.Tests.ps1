#Requires -Version 7.0
# Dependency isolation, for real: another module carrying a different YamlDotNet (15.3.0 from the NuGet registry,
# restored by tests/install-deps.sh) and HaTools (YamlDotNet 16) in one session, in both import orders. Each order
# runs in a fresh pwsh: an assembly, once loaded, stays for the life of the process.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:manifest = Get-HaStagedManifest
    $yaml15 = Join-Path $script:RepoRoot '.tools/packages/yamldotnet/15.3.0/lib/netstandard2.0/YamlDotNet.dll'
    if (-not (Test-Path $yaml15)) { throw "$yaml15 is missing: run tests/install-deps.sh --powershell" }

    # The other module: a script module that ships its own YamlDotNet next to it, as powershell-yaml does.
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("hatools-iso-" + [guid]::NewGuid().ToString('N'))
    $other = New-Item -ItemType Directory -Path (Join-Path $script:work 'OtherYaml')
    Copy-Item $yaml15 $other.FullName
    Set-Content -Path (Join-Path $other.FullName 'OtherYaml.psm1') -Value @'
$script:yaml = [Reflection.Assembly]::LoadFrom((Join-Path $PSScriptRoot 'YamlDotNet.dll'))
function ConvertFrom-OtherYaml([string] $Text) {
    $deserializer = [Activator]::CreateInstance($script:yaml.GetType('YamlDotNet.Serialization.Deserializer'))
    $map = $deserializer.Deserialize[object]($Text)
    [pscustomobject]@{ Value = $map['answer']; YamlVersion = $script:yaml.GetName().Version.ToString() }
}
'@
    $script:otherModule = Join-Path $other.FullName 'OtherYaml.psm1'

    function Invoke-Order([string[]] $Order) {
        $steps = @{
            Other   = "Import-Module '$script:otherModule'; `$r.Other = ConvertFrom-OtherYaml 'answer: 42'"
            HaTools = "Import-Module '$script:manifest'; `$r.Nodes = @((Get-HaCluster -Path '$script:RepoRoot/examples/lab.yaml' -ErrorAction Stop).Nodes).Count"
        }
        $script = "`$ErrorActionPreference = 'Stop'; `$r = @{}`n" + (($Order | ForEach-Object { $steps[$_] }) -join "`n") + @'

$r.Loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'YamlDotNet' } |
    ForEach-Object { $_.GetName().Version.ToString() } | Sort-Object)
$r | ConvertTo-Json -Depth 3
'@
        $run = Invoke-ChildPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $run.Output | ConvertFrom-Json
    }
}

AfterAll {
    if ($script:work -and (Test-Path $script:work)) { Remove-Item $script:work -Recurse -Force }
}

Describe 'Dependency isolation (YamlDotNet 15 in another module, 16 in HaTools)' {
    It 'the other module first, then HaTools: both work, each on its own YamlDotNet' {
        $r = Invoke-Order 'Other', 'HaTools'
        $r.Other.Value | Should -Be '42'
        $r.Other.YamlVersion | Should -Be '15.0.0.0'
        $r.Nodes | Should -Be 3
        $r.Loaded | Should -Be @('15.0.0.0', '16.0.0.0')
    }

    It 'HaTools first, then the other module: both work, each on its own YamlDotNet' {
        $r = Invoke-Order 'HaTools', 'Other'
        $r.Nodes | Should -Be 3
        $r.Other.Value | Should -Be '42'
        $r.Other.YamlVersion | Should -Be '15.0.0.0' -Because "HaTools' YamlDotNet must not be handed to another module"
        $r.Loaded | Should -Be @('15.0.0.0', '16.0.0.0')
    }
}
