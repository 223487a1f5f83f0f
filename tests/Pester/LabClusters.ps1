# Shared by the lab Pester files (tests/Pester/Lab.*.Tests.ps1): where the staged module and the lab are, copies of
# examples/lab.yaml, and a formed lab cluster. Dot-source it in BeforeAll. Needs HATOOLS_LAB=1 and the lab up
# (tests/lab/lab.sh up 3, as root); without HATOOLS_LAB every test skips, saying so.

$script:labSkip = if (-not $env:HATOOLS_LAB) { 'lab test: set HATOOLS_LAB=1 with the lab up (tests/lab/lab.sh up 3, as root)' } else { $null }
$script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
[xml] $props = Get-Content (Join-Path $script:root 'Directory.Build.props') -Raw
$script:version = @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })[0]
$script:manifest = Join-Path $script:root "out/HaTools/$($script:version)/HaTools.psd1"
$script:labYaml = Join-Path $script:root 'examples/lab.yaml'
$script:labDir = Join-Path $script:root 'examples/lab'

# A cluster file for the lab cluster under another name, with the given nodes (in that order) and absolute key paths.
function New-LabClusterFile {
    param([string] $Folder, [string] $Name, [string[]] $Nodes = @('node1', 'node2', 'node3'))
    $lines = @(
        "name: $Name", 'stack: pacemaker', 'ssh:', '  user: root',
        "  identity: $(Join-Path $script:labDir 'id_ed25519')", "  known_hosts: $(Join-Path $script:labDir 'known_hosts')",
        '  host_key_policy: strict', '  connect_timeout: 2', 'nodes:')
    foreach ($n in $Nodes) { $lines += "  - name: $n"; $lines += "    address: 198.18.0.$(10 + [int]($n -replace '\D', ''))" }
    $file = Join-Path $Folder "$Name.yaml"
    Set-Content -Path $file -Value $lines -Encoding utf8
    $file
}

# The lab cluster formed (quorate, a DC); bootstraps examples/lab.yaml when it is not.
function Initialize-LabCluster {
    $status = Get-HaStatus -Path $script:labYaml -ErrorAction SilentlyContinue
    if ($status -and $status.Quorate -and $status.Dc) { return }
    $null = Start-HaBootstrap -Path $script:labYaml -Confirm:$false -ErrorAction Stop
}

# BeforeAll of a lab file: the staged module imported, a formed cluster, a fresh work folder (returned).
function Initialize-LabTest {
    param([string] $Prefix)
    Import-Module $script:manifest -Force
    $work = Join-Path ([IO.Path]::GetTempPath()) ("hatools-$Prefix-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    Initialize-LabCluster
    $work
}
