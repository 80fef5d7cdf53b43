// `cem analyze` reads this: the manifest documents only the public element (its attributes, properties,
// methods, events, CSS parts and custom properties from the class JSDoc).
export default {
  globs: ['widget/src/todo-chat/todo-chat.component.ts', 'widget/src/define.ts'],
  outdir: '.',
  litelement: true,
  dev: false,
  plugins: [
    {
      // The analyzer also reports the generic `dispatchEvent(new CustomEvent(type))` helper as an event
      // named "type"; only the documented todo-chat-* family is real.
      name: 'todo-chat-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const declaration of customElementsManifest.modules.flatMap((m) => m.declarations ?? [])) {
          if (declaration.events) declaration.events = declaration.events.filter((e) => e.name?.startsWith('todo-chat-'));
        }
      },
    },
  ],
};
