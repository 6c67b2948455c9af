// Starts `prompt lsp` for prompt files and adds two commands that show what the server's
// `prompt.render` and `prompt.diff` return in a new editor tab (docs/editors.md).
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

async function activate(context) {
  const command = vscode.workspace.getConfiguration('prompt').get('path') || 'prompt';
  client = new LanguageClient(
    'prompt',
    'Prompt registry',
    { command, args: ['lsp'] },
    {
      documentSelector: [
        { scheme: 'file', pattern: '**/*.prompt.yaml' },
        { scheme: 'file', pattern: '**/.prompts.yaml' },
      ],
    },
  );
  await client.start();

  const run = async (name, args, language) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    try {
      const text = await client.sendRequest('workspace/executeCommand', {
        command: name,
        arguments: [{ uri: editor.document.uri.toString(), ...args }],
      });
      const doc = await vscode.workspace.openTextDocument({ content: text, language });
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
    } catch (e) {
      vscode.window.showErrorMessage(e.message || String(e));
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('prompt.renderToDocument', async () => {
      const sample = await vscode.window.showInputBox({ prompt: 'Sample (empty: defaults only)' });
      if (sample === undefined) return;
      const format = await vscode.window.showQuickPick(
        ['text', 'json', 'openai', 'openai-responses', 'anthropic', 'gemini', 'bedrock'],
        { placeHolder: 'Format' },
      );
      if (!format) return;
      await run('prompt.render', { sample: sample || null, format },
        format === 'text' ? 'markdown' : 'json');
    }),
    vscode.commands.registerCommand('prompt.diffToDocument', async () => {
      const environment = await vscode.window.showInputBox({ prompt: 'Environment', value: 'production' });
      if (!environment) return;
      await run('prompt.diff', { environment }, 'diff');
    }),
  );
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
